import { ENV, ownerEnv } from '@heed/aws/env';
import type { TimerOwner } from '@heed/contracts';
import { Aws, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { ServiceFunction } from './service-function';

export interface TimerTargetProps {
  readonly owner: TimerOwner;
  /** The owner's work queue: where its timers fire. */
  readonly queue: IQueue;
  /** The owner's DLQ: where Scheduler puts a firing it could not deliver. */
  readonly dlq: IQueue;
  readonly group: IScheduleGroup;
}

/**
 * Where one owner's timers fire (DESIGN §6): the role EventBridge Scheduler assumes to deliver
 * them, which may send to this owner's queue and DLQ only, and only for schedules of Heed's
 * group in this account.
 */
export class TimerTarget extends Construct {
  readonly role: Role;

  constructor(
    scope: Construct,
    id: string,
    readonly props: TimerTargetProps,
  ) {
    super(scope, id);
    this.role = new Role(this, 'SchedulerRole', {
      description: `EventBridge Scheduler delivers Heed's ${props.owner} timers with this role`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        // The confused-deputy guard: only schedules of this account's Heed group may use it.
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': Stack.of(this).formatArn({
              service: 'scheduler',
              resource: 'schedule',
              resourceName: `${props.group.scheduleGroupName}/*`,
            }),
          },
        },
      }),
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [props.queue.queueArn, props.dlq.queueArn],
      }),
    );
  }

  /**
   * Lets `fn` arm this owner's timers: its queue for short ones (SQS DelaySeconds), schedules in
   * Heed's group for the rest (create, update, delete when settled), passing this role to
   * Scheduler and nothing else.
   */
  bindOwner(fn: ServiceFunction): void {
    const { queue, dlq, group, owner } = this.props;
    const env = ownerEnv(owner);
    fn.addEnvironment(ENV.scheduleGroup, group.scheduleGroupName);
    fn.addEnvironment(env.queueUrl, queue.queueUrl);
    fn.addEnvironment(env.queueArn, queue.queueArn);
    fn.addEnvironment(env.dlqArn, dlq.queueArn);
    fn.addEnvironment(env.roleArn, this.role.roleArn);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    group.grantWriteSchedules(fn);
    group.grantDeleteSchedules(fn);
    if (fn.role)
      NagSuppressions.addResourceSuppressions(
        fn.role,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason:
              "Schedules are named per ticket at run time (a hash of tenant and ticket): the grant covers only schedules in Heed's own group.",
            appliesTo: [
              {
                regex:
                  // Region and account as tokens, or as the values of an environment-bound stack.
                  '/^Resource::arn:<AWS::Partition>:scheduler:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|\\d{12}):schedule\\/.*\\/\\*$/',
              },
            ],
          },
        ],
        true,
      );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }
}
