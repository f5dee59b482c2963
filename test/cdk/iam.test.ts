import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { TracedCall } from '@heed/aws';
import { CONSUMERS, type Consumer } from '@heed/contracts';
import { Stack } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HeedApp } from '../../infra/lib/app';
import { LOCAL_BUS_NAME } from '../../packages/local/src/local-bus';
import { LOCAL_SCHEDULE_GROUP, LOCAL_SCHEDULER_ROLE } from '../../packages/local/src/local-timers';
import { LOCAL_KEYS, type LocalFunction } from '../../packages/local/src/runtime';
import { stacksOf, synthesizedApp } from '../support/cdk-app';
import { ACCOUNT, DeployedIam, type PolicyStatement, REGION } from '../support/iam-policies';
import { play } from '../support/lifecycles';

/**
 * IAM proven sufficient and minimal (issue 14.8): every AWS call each function made while four
 * whole lifecycles were lived on the local runtime (and what its event source mapping does with
 * its role) is decided by an independent IAM simulator, @cloud-copilot/iam-simulate, against the
 * function's synthesized policies, with local names mapped to the template's ARNs. A call the
 * policy would deny fails here instead of as an AccessDenied after the first deploy. The granted
 * actions no call used are listed.
 */

/** Used by the Lambda runtime itself (logs, X-Ray), not by Heed's code: never in a trace. */
const PLATFORM_ACTIONS = new Set([
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
]);

interface Decision {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string>;
  /** The resource's own policy, where the service decides on it too (a KMS key policy). */
  readonly resourcePolicy?: Record<string, unknown>;
}

let heed: HeedApp;
let iam: DeployedIam;
let traced: readonly TracedCall[];

const functions = (): Record<LocalFunction, { stack: Stack; fn: LambdaFunction }> => ({
  intake: { stack: heed.intake, fn: heed.intake.intakeFunction },
  feedback: { stack: heed.intake, fn: heed.intake.feedbackFunction },
  'outbox-relay': { stack: heed.intake, fn: heed.intake.relayFunction },
  acknowledger: { stack: heed.delivery, fn: heed.consumers.acknowledger.function },
  notifier: { stack: heed.delivery, fn: heed.consumers.notifier.function },
  sla: { stack: heed.sla, fn: heed.consumers.sla.function },
  followup: { stack: heed.followUp, fn: heed.consumers.followup.function },
  sweeper: { stack: heed.timers, fn: heed.timers.sweeperFunction },
  reports: { stack: heed.reports, fn: heed.reports.apiFunction },
});

/** The deployed resource a local name stands for. */
const tableArn = (name: unknown): string => {
  const table = String(name).endsWith('tenants')
    ? heed.stateful.tables.tenants
    : heed.stateful.tables.tickets;
  return iam.arnOf(heed.stateful, table);
};
const queueArn = (url: unknown): string => {
  const name = String(url).split('/').pop() ?? '';
  const consumer = CONSUMERS.find((c) => name.endsWith(c)) as Consumer | undefined;
  if (!consumer) throw new Error(`no deployed queue for ${String(url)}`);
  const service = heed.consumers[consumer];
  return iam.arnOf(Stack.of(service), service.queue);
};
const keyOf = (id: unknown) =>
  id === LOCAL_KEYS.feedback ? heed.stateful.feedbackKey : heed.stateful.secretsKey;

const DYNAMO_ITEM_OPS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

/** What IAM decides for one traced call: each action on each resource it touches. */
const decisionsOf = (call: TracedCall): Decision[] => {
  const r = call.resources;
  switch (call.service) {
    case 'DynamoDB': {
      if (Array.isArray(r.TransactItems))
        return (r.TransactItems as Record<string, string>[]).flatMap((item) =>
          Object.entries(item).map(([op, table]) => ({
            action: `dynamodb:${DYNAMO_ITEM_OPS[op] ?? op}`,
            resource: tableArn(table),
          })),
        );
      if (Array.isArray(r.RequestItems))
        return (r.RequestItems as string[]).map((t) => ({
          action: `dynamodb:${call.command}`,
          resource: tableArn(t),
        }));
      const table = tableArn(r.TableName);
      return [
        {
          action: `dynamodb:${call.command}`,
          resource: r.IndexName ? `${table}/index/${String(r.IndexName)}` : table,
        },
      ];
    }
    case 'DynamoDBStreams':
      return [
        {
          action: `dynamodb:${call.command}`,
          resource:
            call.command === 'ListStreams'
              ? '*'
              : iam.streamArnOf(heed.stateful, heed.stateful.tables.tickets),
        },
      ];
    case 'SQS':
      return [{ action: `sqs:${call.command.replace(/Batch$/, '')}`, resource: queueArn(r.QueueUrl) }];
    case 'EventBridge':
      expect(r.EventBusName).toBe(LOCAL_BUS_NAME);
      return [{ action: 'events:PutEvents', resource: iam.arnOf(heed.stateful, heed.stateful.bus) }];
    case 'KMS': {
      const key = keyOf(r.KeyId);
      const context = Object.entries((r.EncryptionContext ?? {}) as Record<string, string>);
      return [
        {
          action: `kms:${call.command}`,
          resource: iam.arnOf(heed.stateful, key),
          resourcePolicy: iam.keyPolicyOf(heed.stateful, key),
          context: Object.fromEntries(context.map(([k, v]) => [`kms:EncryptionContext:${k}`, v])),
        },
      ];
    }
    case 'Scheduler': {
      expect(r.GroupName).toBe(LOCAL_SCHEDULE_GROUP);
      const group = iam.arnOf(heed.stateful, heed.stateful.group).split(':schedule-group/')[1];
      const schedule = `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${group}/${String(r.Name)}`;
      const decisions: Decision[] = [{ action: `scheduler:${call.command}`, resource: schedule }];
      if (typeof r.RoleArn === 'string') {
        const owner = r.RoleArn.slice(LOCAL_SCHEDULER_ROLE.length) as 'sla' | 'followup';
        decisions.push({
          action: 'iam:PassRole',
          resource: iam.roleArnOf(
            Stack.of(heed.consumers[owner]),
            (owner === 'sla' ? heed.sla : heed.followUp).service.timers.role,
          ),
          context: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
        });
      }
      return decisions;
    }
    default:
      throw new Error(`no IAM mapping for ${call.service}.${call.command}`);
  }
};

/**
 * The simulator's verdict on one decision. runSimulation validates the request (the action, the
 * ARN against the action's resource types, the context keys) and decides with both the role's
 * and the resource's policy. It drops context keys whose variable part follows a colon
 * (`kms:EncryptionContext:<key>`; it matches variables after a slash only, like
 * `aws:PrincipalTag/<key>`), so such a decision is made in two halves that must both allow:
 * validated, conditions on those keys left out; and by its unvalidated
 * engine on both policies with the context as given.
 */
const simulate = async (
  principal: string,
  statements: PolicyStatement[],
  decision: Decision,
): Promise<string> => {
  const context = decision.context ?? {};
  const colonKeys = Object.keys(context).filter((k) => k.split(':').length > 2);
  const request = {
    principal,
    action: decision.action,
    resource: { resource: decision.resource, accountId: ACCOUNT },
    contextVariables: context,
  };
  const policies = (list: PolicyStatement[]) => ({
    identityPolicies: [{ name: 'function-role', policy: { Version: '2012-10-17', Statement: list } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  });
  const withoutColonConditions = statements.map((statement) => {
    if (!statement.Condition) return statement;
    const condition = Object.fromEntries(
      Object.entries(statement.Condition)
        .map(([op, keys]) => [
          op,
          Object.fromEntries(Object.entries(keys).filter(([k]) => k.split(':').length <= 2)),
        ])
        .filter(([, keys]) => Object.keys(keys as object).length > 0),
    );
    const { Condition: _dropped, ...rest } = statement;
    return Object.keys(condition).length > 0 ? { ...rest, Condition: condition } : rest;
  });
  const validated = await runSimulation(
    {
      ...policies(colonKeys.length > 0 ? (withoutColonConditions as PolicyStatement[]) : statements),
      ...(decision.resourcePolicy && { resourcePolicy: decision.resourcePolicy }),
      request,
    } as never,
    {},
  );
  if (validated.resultType === 'error')
    throw new Error(`${decision.action}: ${JSON.stringify(validated.errors)}`);
  if (validated.overallResult !== 'Allowed' || colonKeys.length === 0) return validated.overallResult;
  // Handed over as an already validated policy, so that it carries the name the engine reports.
  const keyPolicy = decision.resourcePolicy && {
    resourcePolicy: {
      __validated: true,
      policyDocument: decision.resourcePolicy,
      metadata: { name: 'key' },
      errors: [],
    },
  };
  return runUnsafeSimulation({ ...policies(statements), ...keyPolicy, request } as never, {});
};

const allows = (statement: PolicyStatement, action: string): boolean =>
  statement.Effect === 'Allow' &&
  [statement.Action]
    .flat()
    .some((pattern) => new RegExp(`^${pattern.replace(/\*/g, '.*')}$`, 'i').test(action));

beforeAll(async () => {
  heed = synthesizedApp();
  iam = new DeployedIam(stacksOf(heed));
  traced = (await play(null, { traceCalls: true })).traced;
}, 300_000);

describe('IAM of every function, decided by an IAM simulator on the calls it made', () => {
  it('allows every call each function made in the lifecycles, and lists what no call used', async () => {
    const denied: string[] = [];
    const report: string[] = [];
    const seen = new Set<string>();
    for (const [name, { stack, fn }] of Object.entries(functions())) {
      const role = fn.role;
      if (!role) throw new Error(`${name} has no role`);
      const statements = iam.statementsOf(stack, role);
      const principal = iam.roleArnOf(stack, role);
      const calls = traced.filter((c) => c.fn === name);
      expect(calls.length, `${name} made calls in the lifecycles`).toBeGreaterThan(0);
      const used = new Set<string>();
      for (const call of calls)
        for (const decision of decisionsOf(call)) {
          used.add(decision.action);
          const key = `${name} ${decision.action} ${decision.resource}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const verdict = await simulate(principal, statements, decision);
          if (verdict !== 'Allowed')
            denied.push(`${key}: ${verdict} ${JSON.stringify(decision.context ?? {})}`);
        }
      const granted = [
        ...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat())),
      ];
      const unused = granted.filter(
        (a) =>
          !PLATFORM_ACTIONS.has(a) &&
          ![...used].some((u) => allows({ Effect: 'Allow', Action: a, Resource: '*' }, u)),
      );
      report.push(
        `${name.padEnd(13)} ${String(calls.length).padStart(3)} kinds of call, ${String(used.size).padStart(2)} actions used; granted and unused: ${unused.join(', ') || 'none'}`,
      );
    }
    console.log(`IAM simulated on the traced calls:\n${report.join('\n')}`);
    expect(denied).toEqual([]);
    // Every other call was the operator's setup (tenant and configuration, as the CLI writes them).
    const outside = traced.filter((c) => !(c.fn && c.fn in functions()));
    expect(outside.length).toBeGreaterThan(0);
    for (const call of outside)
      for (const d of decisionsOf(call)) expect(d.resource, JSON.stringify(call)).toBe(tableArn('tenants'));
  });

  it('denies what a function was not granted (the check can fail)', async () => {
    const { stack, fn } = functions().acknowledger;
    const role = fn.role;
    if (!role) throw new Error('no role');
    const result = await runSimulation(
      {
        identityPolicies: [
          { name: 'ack', policy: { Version: '2012-10-17', Statement: iam.statementsOf(stack, role) } },
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        request: {
          principal: iam.roleArnOf(stack, role),
          action: 'events:PutEvents',
          resource: { resource: iam.arnOf(heed.stateful, heed.stateful.bus), accountId: ACCOUNT },
          contextVariables: {},
        },
      },
      {},
    );
    expect(result.resultType !== 'error' && result.overallResult).toBe('ImplicitlyDenied');
  });
});
