import { ENV } from '@heed/aws/env';
import { REPORT_ROUTE_KEYS } from '@heed/contracts';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import {
  DefinitionBody,
  DistributedMap,
  JsonPath,
  LogLevel,
  StateMachine,
  StateMachineType,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { privateBucket } from './constructs/private-bucket';
import { ServiceFunction } from './constructs/service-function';
import { FIVE_MINUTES, heedAlarm } from './constructs/watch';

export interface ReportsStackProps extends StackProps {
  readonly ticketsTable: ITable;
  readonly tenantsTable: ITable;
  /** The HTTP API the report routes join (the intake stack's). */
  readonly api: HttpApi;
  readonly alarmTopic: ITopic;
}

/**
 * The SLA report (issue 18): the HTTP routes' function, which answers a period of up to 5,000
 * tickets itself, and the engine for larger ones: a Standard state machine with a distributed
 * map, one Express child per index partition (tenant, day, shard), each folding its tickets into
 * a partial in S3, then one step merging them into the report. Nothing here writes a ticket.
 */
export class ReportsStack extends Stack {
  readonly apiFunction: ServiceFunction;
  readonly engineFunction: ServiceFunction;
  readonly stateMachine: StateMachine;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ReportsStackProps) {
    super(scope, id, props);
    // What both report functions read: tickets by the index and their logs (Query), keys and
    // configuration (GetItem). Nothing else of the tables.
    const readsReports = (fn: ServiceFunction) =>
      fn
        .bindTable(ENV.ticketsTable, props.ticketsTable, ['Query'], { index: true })
        .bindTable(ENV.tenantsTable, props.tenantsTable, ['GetItem']);
    this.apiFunction = new ServiceFunction(this, 'ReportsFunction', {
      service: 'reports',
      serviceName: 'reports',
      // API Gateway answers within 30 seconds; the function stops before it.
      timeout: Duration.seconds(29),
      memorySize: 1769,
    });
    readsReports(this.apiFunction);
    const integration = new HttpLambdaIntegration('ReportsIntegration', this.apiFunction);
    for (const [name, routeKey] of Object.entries(REPORT_ROUTE_KEYS)) {
      const [method, path] = routeKey.split(' ') as [keyof typeof HttpMethod, string];
      const route = new HttpRoute(this, `Route${name}`, {
        httpApi: props.api,
        routeKey: HttpRouteKey.with(path, HttpMethod[method]),
        integration,
      });
      NagSuppressions.addResourceSuppressions(route, [
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'Authenticated with the tenant API key (Bearer), verified by the reports function against hashed keys, as every Heed route.',
        },
      ]);
    }

    this.bucket = privateBucket(this, 'ReportsBucket', {
      // Reports and partials hold counts, ticket ids and agent ids: kept a month.
      expireAfter: Duration.days(30),
      withoutAccessLogs:
        "Written and read only by the report engine's function and by operators' `heed report sla`; its executions are logged by Step Functions.",
    });
    this.engineFunction = new ServiceFunction(this, 'ReportEngineFunction', {
      service: 'reports',
      handlerFile: 'engine-handler.ts',
      serviceName: 'report-engine',
      // One partition (a tenant's tickets of one day, a quarter of them) per invocation.
      timeout: Duration.minutes(15),
      memorySize: 1769,
    });
    readsReports(this.engineFunction);
    this.engineFunction.addEnvironment(ENV.reportsBucket, this.bucket.bucketName);
    // Its own run objects only: written (partials, the report) and read back (to merge them).
    this.engineFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [this.bucket.arnForObjects('runs/*')],
      }),
    );
    NagSuppressions.addResourceSuppressions(
      this.engineFunction.role ?? this.engineFunction,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'A run writes objects with generated names under runs/ and reads them back: s3:PutObject and s3:GetObject on those objects only.',
          appliesTo: ['Resource::<ReportsBucket4E7C5994.Arn>/runs/*'],
        },
      ],
      true,
    );

    const plan = new LambdaInvoke(this, 'Plan', {
      lambdaFunction: this.engineFunction,
      payloadResponseOnly: true,
      resultPath: '$.plan',
    });
    const fold = new LambdaInvoke(this, 'FoldPartition', {
      lambdaFunction: this.engineFunction,
      payloadResponseOnly: true,
    });
    const map = new DistributedMap(this, 'EachPartition', {
      itemsPath: '$.plan.partitions',
      itemSelector: {
        task: 'fold',
        run: JsonPath.stringAt('$.run'),
        requestKey: JsonPath.stringAt('$.plan.requestKey'),
        partition: JsonPath.objectAt('$$.Map.Item.Value'),
        // Names the partial: short keys keep the map's results (up to 1,468) well inside 256 KB.
        index: JsonPath.numberAt('$$.Map.Item.Index'),
      },
      mapExecutionType: StateMachineType.EXPRESS,
      maxConcurrency: 100,
      resultPath: '$.results',
    });
    map.itemProcessor(fold);
    const combine = new LambdaInvoke(this, 'Combine', {
      lambdaFunction: this.engineFunction,
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({
        task: 'combine',
        run: JsonPath.stringAt('$.run'),
        requestKey: JsonPath.stringAt('$.plan.requestKey'),
        results: JsonPath.listAt('$.results'),
      }),
      resultPath: '$.report',
    });
    const logs = new LogGroup(this, 'ReportRunLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'ReportStateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(plan.next(map).next(combine)),
      timeout: Duration.hours(2),
      tracingEnabled: true,
      // Every state's events, without their data (which holds the configuration and counts).
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    NagSuppressions.addResourceSuppressions(
      this.stateMachine,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'The role may invoke the engine function (and its versions: `:*`), describe and stop its own distributed map executions (named at run time), and write X-Ray and set up log delivery, which support no narrower resource.',
          appliesTo: [
            'Resource::*',
            'Resource::<ReportEngineFunction8DE8CA76.Arn>:*',
            {
              regex: '/^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:.*$/',
            },
          ],
        },
      ],
      true,
    );
    // A run that fails says why to the operator who started it; the alarm tells the others.
    heedAlarm(this, 'ReportRunsFailed', props.alarmTopic, {
      metric: this.stateMachine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
      threshold: 1,
      description:
        'A report run failed (heed report sla --state-machine printed why; the execution history has each step).',
    });
    new CfnOutput(this, 'ReportStateMachineArn', {
      value: this.stateMachine.stateMachineArn,
      description: 'Pass to `npm run heed -- report sla … --state-machine` for periods above 5,000 tickets',
    });
    new CfnOutput(this, 'ReportsBucketName', {
      value: this.bucket.bucketName,
      description: 'Where the engine writes reports: `--reports-bucket`',
    });
  }
}
