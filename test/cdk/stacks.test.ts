import { MAX_RECEIVE_COUNT } from '@heed/aws/messaging';
import { INDEX, INDEX_ATTRIBUTES, OUTBOX_STREAM_FILTER } from '@heed/aws/table-schema';
import { CONSUMERS, type Consumer, eventPatternFor } from '@heed/contracts';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type HeedApp } from '../../infra/lib/app';
import { cdkContext, stacksOf, synthesizedApp } from '../support/cdk-app';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

let heed: HeedApp;
const templates = new WeakMap<Stack, Template>();

beforeAll(() => {
  heed = synthesizedApp();
  for (const stack of allStacks()) tpl(stack);
});

const allStacks = (): Stack[] => stacksOf(heed);
/** The stacks that hold functions. */
const functionStacks = (): Stack[] => [
  heed.intake,
  heed.delivery,
  heed.timers,
  heed.sla,
  heed.followUp,
  heed.reports,
];

/** The synthesized template of a stack, built once per stack object. */
const tpl = (stack: Stack): Template => {
  let template = templates.get(stack);
  if (!template) {
    template = Template.fromStack(stack);
    templates.set(stack, template);
  }
  return template;
};
const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as never);

/** Every alarm of the deployment, by logical id (each service's construct keeps its own). */
const alarmsOf = (h: HeedApp): Resources =>
  Object.assign({}, ...stacksOf(h).map((st) => tpl(st).findResources('AWS::CloudWatch::Alarm'))) as Resources;

/** A consumer's queue (or DLQ) as another stack's template names it. */
const queueIdOf = (consumer: Consumer, which: 'queue' | 'dlq' = 'queue'): string => {
  const service = heed.consumers[consumer];
  return logicalId(Stack.of(service), service[which]);
};

describe('stateful stack', () => {
  it('keeps both tables with PITR, encryption and retention, and streams the tickets table', () => {
    const tables = tpl(heed.stateful).findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(2);
    for (const table of Object.values(tables)) {
      expect(table).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: {
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        },
      });
    }
    tpl(heed.stateful).hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
  });

  it('gives the tickets table the sparse index the sweeper and the window redrive read, as the local tables have it', () => {
    tpl(heed.stateful).hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      GlobalSecondaryIndexes: [
        {
          IndexName: INDEX.name,
          KeySchema: [
            { AttributeName: INDEX.partitionKey, KeyType: 'HASH' },
            { AttributeName: INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...INDEX_ATTRIBUTES] },
        },
      ],
    });
  });

  it('archives the bus', () => {
    tpl(heed.stateful).hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['heed'] },
      RetentionDays: 365,
    });
  });
});

describe('consumer services', () => {
  it('gives each consumer one rule whose pattern and target come from the routing table, in its own stack', () => {
    for (const consumer of CONSUMERS) {
      const service = heed.consumers[consumer];
      const stack = Stack.of(service);
      const rules = tpl(stack).findResources('AWS::Events::Rule') as Resources;
      const rule = rules[logicalId(stack, service.rule)];
      expect(rule?.Properties.EventPattern).toEqual(eventPatternFor(consumer));
      expect(rule?.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [logicalId(stack, service.queue), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(stack, service.dlq), 'Arn'] } },
        }),
      ]);
    }
    const rules = allStacks().flatMap((st) => Object.keys(tpl(st).findResources('AWS::Events::Rule')));
    // One per consumer, and the sweeper's schedule.
    expect(rules).toHaveLength(CONSUMERS.length + 1);
  });

  it('gives every work queue a DLQ, and encrypts every queue', () => {
    for (const consumer of CONSUMERS) {
      const service = heed.consumers[consumer];
      const stack = Stack.of(service);
      const queues = tpl(stack).findResources('AWS::SQS::Queue') as Resources;
      expect(queues[logicalId(stack, service.queue)]?.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack, service.dlq), 'Arn'] },
        maxReceiveCount: MAX_RECEIVE_COUNT,
      });
    }
    for (const st of allStacks())
      for (const queue of Object.values(tpl(st).findResources('AWS::SQS::Queue') as Resources))
        expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
  });
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const statementsOf = (stack: Stack, roleLogicalIdPrefix: string): Statement[] => {
  const policies = tpl(stack).findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleLogicalIdPrefix))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};
const actions = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('intake stack', () => {
  it('runs every function on nodejs24.x, arm64, traced, with its own log group', () => {
    const fns = tpl(heed.intake).findResources('AWS::Lambda::Function') as Resources;
    expect(Object.keys(fns)).toHaveLength(3);
    for (const fn of Object.values(fns)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
      expect(fn.Properties.LoggingConfig).toBeDefined();
    }
  });

  it('serves exactly the contract routes: the API through the intake function, the survey pages through their own', () => {
    const routes = tpl(heed.intake).findResources('AWS::ApiGatewayV2::Route') as Resources;
    expect(
      Object.values(routes)
        .map((r) => r.Properties.RouteKey)
        .sort(),
    ).toEqual([
      '$default',
      'GET /v1/feedback/{token}',
      'GET /v1/openapi.json',
      'GET /v1/tickets/{ticketId}',
      'POST /v1/connectors/{connectorId}',
      'POST /v1/events',
      'POST /v1/feedback/{token}',
    ]);
    const integrations = tpl(heed.intake).findResources('AWS::ApiGatewayV2::Integration') as Resources;
    const target = (routeKey: string) => {
      const route = Object.values(routes).find((r) => r.Properties.RouteKey === routeKey);
      const id = JSON.stringify(route?.Properties.Target).match(/"(\w+Integration\w*)"/)?.[1] ?? '';
      return JSON.stringify(integrations[id]?.Properties.IntegrationUri);
    };
    expect(target('GET /v1/feedback/{token}')).toContain('FeedbackFunction');
    expect(target('POST /v1/feedback/{token}')).toContain('FeedbackFunction');
    expect(target('GET /v1/openapi.json')).toContain('FeedbackFunction');
    expect(target('POST /v1/events')).toContain('IntakeFunction');
    expect(target('POST /v1/connectors/{connectorId}')).toContain('IntakeFunction');
    // What no route matches: the intake function's 404, with Heed's error body.
    expect(target('$default')).toContain('IntakeFunction');
    tpl(heed.intake).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 500 }),
      // The public survey routes are throttled on their own, well below the API.
      RouteSettings: {
        'GET /v1/feedback/{token}': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        'POST /v1/feedback/{token}': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      },
    });
  });

  it('lets the survey page verify links with the HMAC key and record on the tickets table, nothing else', () => {
    const statements = statementsOf(heed.intake, 'FeedbackFunctionRole');
    const kms = statements.filter((s) => actions(s).some((a) => a.startsWith('kms:')));
    expect(kms.flatMap(actions)).toEqual(['kms:VerifyMac']);
    expect(JSON.stringify(kms[0]?.Resource)).toContain('FeedbackKey');
    const resources = JSON.stringify(statements.map((s) => s.Resource));
    expect(resources).not.toContain('TenantsTable');
    expect(resources).not.toContain('SecretsKey');
    tpl(heed.stateful).hasResourceProperties('AWS::KMS::Key', {
      KeySpec: 'HMAC_256',
      KeyUsage: 'GENERATE_VERIFY_MAC',
    });
  });

  it('puts the survey pages behind CloudFront with a WAF rate limit by IP only when asked, in us-east-1', () => {
    expect(heed.intake.surveyEdge).toBeUndefined();
    const context = { ...cdkContext, 'aws:cdk:bundling-stacks': [], surveyWafRateLimit: '300' };
    const edged = buildApp(new App({ context }), { account: '111111111111', region: 'us-east-1' });
    const intake = Template.fromStack(edged.intake);
    intake.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: [
        Match.objectLike({
          Action: { Block: {} },
          Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 300 } },
        }),
      ],
    });
    intake.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: Match.anyValue() }),
    });
    // Survey links point at the distribution.
    const followUp = JSON.stringify(Template.fromStack(edged.followUp).toJSON());
    expect(followUp).toContain('SurveyEdgeDistribution');
    for (const stack of [edged.intake, edged.followUp])
      expect(
        Annotations.fromStack(stack)
          .findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))
          .map((e) => e.entry.data),
      ).toEqual([]);
    expect(() => buildApp(new App({ context }), { account: '111111111111', region: 'eu-west-1' })).toThrow(
      /us-east-1/,
    );
  });

  it('lets the intake function touch only its two tables, and never the bus', () => {
    const statements = statementsOf(heed.intake, 'IntakeFunctionRole');
    const dynamo = statements.filter((s) => actions(s).some((a) => a.startsWith('dynamodb:')));
    const resources = JSON.stringify(dynamo.map((s) => s.Resource));
    expect(resources).toContain('TicketsTable');
    expect(resources).toContain('TenantsTable');
    expect(resources.replace(/TicketsTable|TenantsTable/g, '')).not.toMatch(/Table/);
    const tenantActions = dynamo
      .filter((s) => JSON.stringify(s.Resource).includes('TenantsTable'))
      .flatMap(actions);
    expect(tenantActions.some((a) => /Put|Update|Delete|Write/.test(a))).toBe(false);
    expect(statements.flatMap(actions).some((a) => a.startsWith('events:'))).toBe(false);
    for (const s of statements.filter((s) => s.Resource === '*'))
      expect(actions(s).every((a) => a.startsWith('xray:'))).toBe(true);
  });

  it('lets the outbox relay PutEvents only on the Heed bus', () => {
    const statements = statementsOf(heed.intake, 'OutboxRelayFunctionRole');
    const put = statements.filter((s) => actions(s).includes('events:PutEvents'));
    expect(put).toHaveLength(1);
    expect(JSON.stringify(put[0]?.Resource)).toMatch(/Bus/);
    expect(statements.flatMap(actions).some((a) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toBe(
      false,
    );
  });

  it('relays the tickets stream until records expire, bisecting failed batches, keeping whole failed records in S3', () => {
    const bucket = logicalId(heed.intake, heed.intake.relayFailures);
    tpl(heed.intake).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(OUTBOX_STREAM_FILTER) }] },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [bucket, 'Arn'] } } },
      StartingPosition: 'TRIM_HORIZON',
      MaximumRetryAttempts: -1,
      BisectBatchOnFunctionError: true,
    });
    const mapping = Object.values(
      tpl(heed.intake).findResources('AWS::Lambda::EventSourceMapping') as Resources,
    )[0];
    expect(mapping?.Properties.MaximumRecordAgeInSeconds).toBeUndefined(); // -1: the stream's retention
    // The relay may put objects into that bucket (and list it), nothing else there.
    const s3 = statementsOf(heed.intake, 'OutboxRelayFunctionRole').filter((s) =>
      actions(s).some((a) => a.startsWith('s3:')),
    );
    expect(s3.flatMap(actions).sort()).toEqual(['s3:ListBucket', 's3:PutObject']);
    tpl(heed.intake).hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
    });
  });

  it('alarms when the relay falls five minutes behind the stream', () => {
    const alarms = alarmsOf(heed);
    const age = Object.entries(alarms).find(([id]) => id.startsWith('OutboxRelayIteratorAge'))?.[1];
    expect(age?.Properties).toMatchObject({
      MetricName: 'IteratorAge',
      Statistic: 'Maximum',
      Threshold: 300_000,
    });
  });
});

describe('ops stack', () => {
  it('alarms on every dead-letter queue, function error rate and intake error rates, to the SNS topic', () => {
    const alarms = alarmsOf(heed);
    const names = Object.keys(alarms);
    // Each consumer's construct alarms on its own DLQ, oldest message and error rate.
    for (const consumer of CONSUMERS) {
      const own = heed.consumers[consumer].alarms.map((a) => a.node.id);
      expect(own, consumer).toEqual(expect.arrayContaining(['ErrorRate', 'OldestMessage', 'DeadLetters']));
    }
    for (const expected of [
      'OutboxRelayIteratorAge',
      'SlaBreachRate',
      'SlaTimerLagP99',
      'SchedulerInvocationsDropped',
      'SchedulerTargetErrors',
      'SlaErrorRate',
      'SlaDeadLetters',
      'FollowUpOldestMessage',
      'NotifierDeadLetters',
      'SweeperErrorRate',
      'IntakeErrorRate',
      'OutboxRelayErrorRate',
      'IntakeClientErrorRate',
      'IntakeServerErrorRate',
    ]) {
      expect(
        names.some((n) => n.startsWith(expected)),
        expected,
      ).toBe(true);
    }
    const topic = logicalId(heed.stateful, heed.stateful.alarmTopic.topic);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain(topic);
    }
    tpl(heed.stateful).hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('has a dashboard covering intake, events, functions and queues', () => {
    const dashboards = tpl(heed.ops).findResources('AWS::CloudWatch::Dashboard') as Resources;
    const body = JSON.stringify(Object.values(dashboards)[0]?.Properties.DashboardBody);
    for (const word of [
      'EventsAccepted',
      'DuplicatesIgnored',
      'Rejected',
      'TicketsReceived',
      'Errors',
      'Throttles',
      'ApproximateNumberOfMessagesVisible',
      '5xx',
      'SlaWarnings',
      'SlaBreaches',
      'SlaMet',
      'met %',
      'Escalations',
      'TimerLag',
      'TicketsAtRisk',
      'FirstResponseTime',
      'InvocationDroppedCount',
      'TargetErrorCount',
    ]) {
      expect(body, word).toContain(word);
    }
    // The ops stack only gathers: each consumer's section is its construct's.
    for (const consumer of CONSUMERS) {
      const service = heed.consumers[consumer];
      expect(service.widgets.length, consumer).toBeGreaterThan(1);
      expect(body, consumer).toContain(`${consumer} dead letters`);
      expect(body, consumer).toContain(`${consumer} queue: depth and oldest`);
    }
  });
});

describe('least privilege', () => {
  const dynamoActions = (stack: Stack, role: string, table: string) =>
    statementsOf(stack, role)
      .filter((s) => JSON.stringify(s.Resource).includes(table))
      .flatMap(actions)
      .filter((a) => a.startsWith('dynamodb:'))
      .sort();

  it.each([
    ['intake', 'IntakeFunctionRole', ['GetItem', 'PutItem', 'Query'], ['GetItem']],
    ['acknowledger', 'AcknowledgerFunctionRole', ['GetItem', 'PutItem'], ['GetItem']],
    ['notifier', 'NotifierFunctionRole', ['GetItem', 'PutItem', 'UpdateItem'], ['GetItem']],
    ['sla', 'SlaFunctionRole', ['GetItem', 'PutItem', 'Query', 'UpdateItem'], ['GetItem']],
    ['sweeper', 'SweeperFunctionRole', ['GetItem', 'Query', 'UpdateItem'], []],
    ['follow-up service', 'FollowUpFunctionRole', ['GetItem', 'PutItem', 'Query', 'UpdateItem'], ['GetItem']],
    ['survey page', 'FeedbackFunctionRole', ['GetItem', 'PutItem', 'Query', 'UpdateItem'], []],
    ['reports API', 'ReportsFunctionRole', ['Query'], ['GetItem']],
    ['report engine', 'ReportEngineFunctionRole', ['Query'], ['GetItem']],
  ] as const)('gives the %s exactly the DynamoDB actions it uses', (name, role, tickets, tenants) => {
    const stack =
      {
        intake: heed.intake,
        sla: heed.sla,
        sweeper: heed.timers,
        'follow-up service': heed.followUp,
        'survey page': heed.intake,
        'reports API': heed.reports,
        'report engine': heed.reports,
      }[name as string] ?? heed.delivery;
    expect(dynamoActions(stack, role, 'TicketsTable')).toEqual(tickets.map((a) => `dynamodb:${a}`));
    expect(dynamoActions(stack, role, 'TenantsTable')).toEqual(tenants.map((a) => `dynamodb:${a}`));
  });

  it('grants no Scan, DeleteItem or BatchWriteItem to any function, and no wildcard but X-Ray', () => {
    for (const stack of functionStacks()) {
      const policies = tpl(stack).findResources('AWS::IAM::Policy') as Resources;
      for (const policy of Object.values(policies)) {
        for (const s of (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement) {
          expect(
            actions(s).filter((a) => /Scan|DeleteItem|BatchWrite|\*/.test(a)),
            JSON.stringify(s),
          ).toEqual([]);
          // Step Functions' log delivery supports no resource either (the report state machine's role).
          if (s.Resource === '*')
            expect(
              actions(s).every(
                (a) =>
                  a.startsWith('xray:') ||
                  a === 'dynamodb:ListStreams' ||
                  /^logs:(\w+LogDeliver(y|ies)|DescribeLogGroups|DescribeResourcePolicies|PutResourcePolicy)$/.test(
                    a,
                  ),
              ),
              JSON.stringify(s),
            ).toBe(true);
        }
      }
    }
  });

  it('lets only the notifier decrypt webhook secrets, and intake only connector secrets, with the KMS key that sealed them', () => {
    const decrypt = (role: string) =>
      statementsOf(heed.delivery, role).filter((s) => actions(s).some((a) => a.startsWith('kms:')));
    expect(decrypt('AcknowledgerFunctionRole')).toEqual([]);
    const intake = statementsOf(heed.intake, 'IntakeFunctionRole').filter((s) =>
      actions(s).some((a) => a.startsWith('kms:')),
    );
    expect(intake.flatMap(actions)).toEqual(['kms:Decrypt']);
    expect(JSON.stringify(intake)).toContain('heed-connector-secret');
    expect(JSON.stringify(intake)).not.toContain('heed-webhook-secret');
    const [statement] = decrypt('NotifierFunctionRole');
    expect(actions(statement as Statement)).toEqual(['kms:Decrypt']);
    expect(JSON.stringify(statement)).toContain('SecretsKey');
    expect(JSON.stringify(statement)).toContain('heed-webhook-secret');
    tpl(heed.stateful).hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      Description: Match.stringLikeRegexp('webhook'),
    });
  });

  it('suppresses IAM5 only for unscopable actions, naming each of them, and the failure bucket objects', () => {
    type Nag = { id: string; reason: string; applies_to?: (string | { regex: string })[] };
    type Meta = { Metadata?: { cdk_nag?: { rules_to_suppress: Nag[] } } };
    const rules = functionStacks().flatMap((stack) =>
      Object.values(tpl(stack).toJSON().Resources as Record<string, Meta>)
        .flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? [])
        .filter((r) => r.id === 'AwsSolutions-IAM5'),
    );
    const applies = rules
      .flatMap((r) => r.applies_to ?? ['(all)'])
      .map((a) => (typeof a === 'string' ? a : JSON.stringify(a)));
    expect(new Set(applies)).toEqual(
      new Set([
        'Resource::*',
        'Resource::<OutboxRelayFailures549597FE.Arn>/*',
        // The report engine's run objects, the engine function's versions, its map's executions.
        'Resource::<ReportsBucket4E7C5994.Arn>/runs/*',
        'Resource::<ReportEngineFunction8DE8CA76.Arn>:*',
        JSON.stringify({
          regex: '/^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:.*$/',
        }),
        // Schedules in Heed's group only (named per ticket at run time).
        JSON.stringify({
          regex:
            '/^Resource::arn:<AWS::Partition>:scheduler:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|\\d{12}):schedule\\/.*\\/\\*$/',
        }),
      ]),
    );
    expect(rules.some((r) => r.reason.includes('dynamodb:ListStreams'))).toBe(true);
    for (const r of rules.filter((r) => r.applies_to?.includes('Resource::*')))
      expect(r.reason).toMatch(
        /^xray:PutTraceSegments, xray:PutTelemetryRecords|X-Ray and set up log delivery/,
      );
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unsuppressed error or warning in any stack', () => {
    for (const stack of allStacks()) {
      const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
      const warnings = Annotations.fromStack(stack).findWarning(
        '*',
        Match.stringLikeRegexp('AwsSolutions-.*'),
      );
      expect([...errors, ...warnings].map((e) => `${e.id}: ${String(e.entry.data).slice(0, 80)}`)).toEqual(
        [],
      );
    }
  });
});

describe('delivery stack', () => {
  it('feeds the acknowledger and notifier from their routing-table queues with partial batch failures', () => {
    const mappings = tpl(heed.delivery).findResources('AWS::Lambda::EventSourceMapping') as Resources;
    const sources = Object.values(mappings).map((m) => JSON.stringify(m.Properties.EventSourceArn));
    expect(sources).toHaveLength(2);
    for (const consumer of ['acknowledger', 'notifier'] as const) {
      const queueId = queueIdOf(consumer);
      expect(
        sources.some((s) => s.includes(queueId)),
        consumer,
      ).toBe(true);
    }
    for (const m of Object.values(mappings)) {
      expect(m.Properties).toMatchObject({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
      });
    }
  });

  it('gives both services the tables they need and nothing else', () => {
    for (const role of ['AcknowledgerFunctionRole', 'NotifierFunctionRole']) {
      const statements = statementsOf(heed.delivery, role);
      const all = statements.flatMap(actions);
      expect(
        all.some((a) => a.startsWith('events:') || a.startsWith('ses:')),
        role,
      ).toBe(false);
      const tenantWrites = statements
        .filter((s) => JSON.stringify(s.Resource).includes('TenantsTable'))
        .flatMap(actions)
        .filter((a) => /Put|Update|Delete|Write/.test(a));
      expect(tenantWrites, role).toEqual([]);
    }
  });

  it('tells the notifier its queue for backoff', () => {
    tpl(heed.delivery).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          HEED_NOTIFIER_QUEUE_URL: Match.anyValue(),
          HEED_RETRY_BASE_SECONDS: '30',
        }),
      },
    });
  });

  it('allows ses:SendEmail on the configured identity only when e-mail is enabled', () => {
    const withSes = synthesizedApp({ sesFromIdentity: 'support.example.com' });
    const statements = statementsOf(withSes.delivery, 'NotifierFunctionRole').filter((s) =>
      actions(s).includes('ses:SendEmail'),
    );
    expect(statements).toHaveLength(1);
    expect(JSON.stringify(statements[0]?.Resource)).toContain('identity/support.example.com');
    Template.fromStack(withSes.delivery).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ HEED_SES_ENABLED: 'true' }) },
    });
  });

  it('alarms on acknowledgement latency p99 and on delivery failures', () => {
    const alarms = alarmsOf(heed);
    const latency = Object.entries(alarms).find(([id]) =>
      id.startsWith('NotifierAcknowledgementLatencyP99'),
    )?.[1];
    expect(latency?.Properties).toMatchObject({
      MetricName: 'AcknowledgementLatency',
      Namespace: 'Heed',
      ExtendedStatistic: 'p99',
      Threshold: 120_000,
    });
    const failures = Object.entries(alarms).find(([id]) => id.startsWith('NotifierDeliveryFailures'))?.[1];
    expect(failures?.Properties).toMatchObject({
      MetricName: 'DeliveryFailures',
      Namespace: 'Heed',
      Threshold: 5,
    });
    for (const fn of ['AcknowledgerErrorRate', 'NotifierErrorRate'])
      expect(
        Object.keys(alarms).some((id) => id.startsWith(fn)),
        fn,
      ).toBe(true);
  });
});

describe('reports stack', () => {
  it('serves the report routes through the reports function, on the same API, with its own timeout', () => {
    const t = tpl(heed.reports);
    const routes = Object.values(t.findResources('AWS::ApiGatewayV2::Route') as Resources).map(
      (r) => r.Properties.RouteKey,
    );
    expect(routes.sort()).toEqual(['GET /v1/reports/sla', 'POST /v1/reports/sla/whatif']);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Timeout: 29,
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'reports' }) },
    });
  });

  it('runs large reports as plan → a distributed map of Express folds, one per partition → combine', () => {
    const machines = tpl(heed.reports).findResources('AWS::StepFunctions::StateMachine') as Resources;
    const [machine] = Object.values(machines);
    expect(machine?.Properties.StateMachineType).toBe('STANDARD');
    const body = JSON.stringify(machine?.Properties.DefinitionString);
    // The definition is JSON inside an Fn::Join: its quotes arrive escaped.
    const unescaped = body.replaceAll('\\"', '"');
    expect(unescaped).toContain('"StartAt":"Plan"');
    expect(unescaped).toMatch(/"EachPartition":\{"Type":"Map"/);
    expect(unescaped).toContain('"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"}');
    expect(unescaped).toContain('"ItemsPath":"$.plan.partitions"');
    expect(unescaped).toContain('"Next":"Combine"');
    expect(unescaped).toContain('"MaxConcurrency":100');
    // A failed run alarms, to the alarm topic.
    tpl(heed.reports).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Namespace: 'AWS/States',
      Threshold: 1,
      AlarmActions: Match.anyValue(),
    });
  });

  it('lets the engine write and read its run objects only, in an encrypted, private bucket kept 30 days', () => {
    const s3 = statementsOf(heed.reports, 'ReportEngineFunctionRole').filter((st) =>
      actions(st).some((a) => a.startsWith('s3:')),
    );
    expect(s3.flatMap(actions).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(JSON.stringify(s3[0]?.Resource)).toContain('/runs/*');
    tpl(heed.reports).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(),
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
    });
  });
});

describe('timers stack', () => {
  it('has one schedule group, and per owner a Scheduler role that may only send to its queue and DLQ', () => {
    tpl(heed.stateful).resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    for (const owner of ['sla', 'followup'] as const) {
      const stack = owner === 'sla' ? heed.sla : heed.followUp;
      const role = stack.service.timers.role;
      const roleId = logicalId(stack, role);
      const trust = (tpl(stack).toJSON().Resources[roleId] as { Properties: Record<string, unknown> })
        .Properties.AssumeRolePolicyDocument;
      expect(JSON.stringify(trust)).toContain('scheduler.amazonaws.com');
      expect(JSON.stringify(trust)).toContain('aws:SourceAccount');
      expect(JSON.stringify(trust)).toContain(':schedule/');
      const statements = statementsOf(stack, roleId);
      expect(statements.flatMap(actions)).toEqual(['sqs:SendMessage']);
      const resources = JSON.stringify(statements.map((s) => s.Resource));
      expect(resources).toContain(queueIdOf(owner));
      expect(resources).toContain(queueIdOf(owner, 'dlq'));
      expect(resources).not.toContain(queueIdOf(owner === 'sla' ? 'followup' : 'sla'));
    }
  });

  it('runs the sweeper every five minutes; it may query the due index and send to the timer queues only', () => {
    tpl(heed.timers).hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [
        Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 240 } }),
      ],
    });
    const statements = statementsOf(heed.timers, 'SweeperFunctionRole');
    expect(JSON.stringify(statements)).toContain('/index/gsi1');
    const sends = statements.filter((s) => actions(s).includes('sqs:SendMessage'));
    expect(sends.flatMap(actions)).toEqual(['sqs:SendMessage']);
    const targets = JSON.stringify(sends.map((s) => s.Resource));
    for (const owner of ['sla', 'followup'] as const) expect(targets).toContain(queueIdOf(owner));
    expect(targets).not.toContain(queueIdOf('notifier'));
  });
});

describe('sla stack', () => {
  it('feeds the SLA function from its routing-table queue, with partial batch failures', () => {
    const mappings = Object.values(
      tpl(heed.sla).findResources('AWS::Lambda::EventSourceMapping') as Resources,
    );
    expect(mappings).toHaveLength(1);
    expect(JSON.stringify(mappings[0]?.Properties.EventSourceArn)).toContain(queueIdOf('sla'));
    expect(mappings[0]?.Properties).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  it('tells the SLA function where its timers go, and lets it arm them and nothing else', () => {
    tpl(heed.sla).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          HEED_SCHEDULE_GROUP: Match.anyValue(),
          HEED_SLA_QUEUE_URL: Match.anyValue(),
          HEED_SLA_QUEUE_ARN: Match.anyValue(),
          HEED_SLA_DLQ_ARN: Match.anyValue(),
          HEED_SLA_SCHEDULER_ROLE_ARN: Match.anyValue(),
        }),
      },
    });
    const statements = statementsOf(heed.sla, 'SlaFunctionRole');
    const scheduler = statements.filter((s) => actions(s).some((a) => a.startsWith('scheduler:')));
    expect(scheduler.flatMap(actions).sort()).toEqual([
      'scheduler:CreateSchedule',
      'scheduler:DeleteSchedule',
      'scheduler:UpdateSchedule',
    ]);
    for (const st of scheduler) expect(JSON.stringify(st.Resource)).toContain(':schedule/');
    const pass = statements.filter((s) => actions(s).includes('iam:PassRole'));
    expect(pass).toHaveLength(1);
    expect(JSON.stringify(pass[0])).toContain('scheduler.amazonaws.com');
    expect(JSON.stringify(pass[0]?.Resource)).toContain('SlaTimers');
    const sends = statements.filter((s) => actions(s).includes('sqs:SendMessage'));
    expect(JSON.stringify(sends.map((s) => s.Resource))).toContain(queueIdOf('sla'));
    expect(statements.flatMap(actions).some((a) => a.startsWith('events:') || a.startsWith('kms:'))).toBe(
      false,
    );
  });
});

describe('SLA alarms', () => {
  const alarmNamed = (prefix: string) =>
    Object.entries(alarmsOf(heed)).find(([id]) => id.startsWith(prefix))?.[1].Properties;

  it('alarms when the p99 timer lag passes two minutes and when a quarter of ending clocks breach', () => {
    expect(alarmNamed('SlaTimerLagP99')).toMatchObject({
      MetricName: 'TimerLag',
      Namespace: 'Heed',
      ExtendedStatistic: 'p99',
      Threshold: 120_000,
      Dimensions: [{ Name: 'service', Value: 'sla' }],
    });
    const rate = alarmNamed('SlaBreachRate');
    expect(rate?.Threshold).toBe(25);
    expect(JSON.stringify(rate?.Metrics)).toContain('IF(b + m >= 10, 100 * b / (b + m), 0)');
  });

  it("alarms on Scheduler's dropped invocations and target errors for Heed's group", () => {
    for (const [prefix, metric] of [
      ['SchedulerInvocationsDropped', 'InvocationDroppedCount'],
      ['SchedulerTargetErrors', 'TargetErrorCount'],
    ] as const) {
      const props = alarmNamed(prefix);
      expect(props).toMatchObject({ MetricName: metric, Namespace: 'AWS/Scheduler' });
      expect(JSON.stringify(props?.Dimensions)).toContain('ScheduleGroup');
    }
  });
});

describe('follow-up stack', () => {
  it('feeds the follow-up function from its routing-table queue, with partial batch failures', () => {
    const mappings = Object.values(
      tpl(heed.followUp).findResources('AWS::Lambda::EventSourceMapping') as Resources,
    );
    expect(mappings).toHaveLength(1);
    expect(JSON.stringify(mappings[0]?.Properties.EventSourceArn)).toContain(queueIdOf('followup'));
    expect(mappings[0]?.Properties).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  it('tells the follow-up function its timers, key and public URL; it may sign links, arm its timers, nothing else', () => {
    tpl(heed.followUp).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          HEED_SCHEDULE_GROUP: Match.anyValue(),
          HEED_FOLLOWUP_QUEUE_URL: Match.anyValue(),
          HEED_FOLLOWUP_SCHEDULER_ROLE_ARN: Match.anyValue(),
          HEED_FEEDBACK_KEY: Match.anyValue(),
          HEED_PUBLIC_URL: Match.anyValue(),
        }),
      },
    });
    const statements = statementsOf(heed.followUp, 'FollowUpFunctionRole');
    expect(statements.flatMap(actions).filter((a) => a.startsWith('kms:'))).toEqual(['kms:GenerateMac']);
    const pass = statements.filter((s) => actions(s).includes('iam:PassRole'));
    expect(JSON.stringify(pass.map((s) => s.Resource))).toContain('FollowUpTimers');
    expect(JSON.stringify(pass.map((s) => s.Resource))).not.toContain('SlaTimers');
    expect(statements.flatMap(actions).some((a) => a.startsWith('events:'))).toBe(false);
  });

  it('alarms on follow-up timer lag; a CSAT alarm only when asked for, below the configured average', () => {
    const alarms = alarmsOf;
    const lag = Object.entries(alarms(heed)).find(([id]) => id.startsWith('FollowUpTimerLagP99'))?.[1];
    expect(lag?.Properties).toMatchObject({
      MetricName: 'TimerLag',
      Dimensions: [{ Name: 'service', Value: 'followup' }],
    });
    expect(Object.keys(alarms(heed)).some((id) => id.startsWith('FollowUpCsatAverageLow'))).toBe(false);
    const withCsat = synthesizedApp({ csatAlarmBelow: '3.5' });
    const csat = Object.entries(alarms(withCsat)).find(([id]) =>
      id.startsWith('FollowUpCsatAverageLow'),
    )?.[1];
    expect(csat?.Properties).toMatchObject({ Threshold: 3.5, ComparisonOperator: 'LessThanThreshold' });
    expect(JSON.stringify(csat?.Properties.Metrics)).toContain('IF(n >= 10, s / n, 5)');
  });

  it('shows CSAT average and distribution, answer rate and reopen rate on the dashboard', () => {
    const body = JSON.stringify(tpl(heed.ops).findResources('AWS::CloudWatch::Dashboard'));
    for (const text of [
      'CSAT average',
      'CsatResponses',
      'surveys answered %',
      'reopened % of solves',
      'FollowUpsSent',
    ])
      expect(body).toContain(text);
  });
});
