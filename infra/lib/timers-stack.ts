import { ENV, ownerEnv } from '@heed/aws/env';
import type { TimerOwner } from '@heed/contracts';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ServiceFunction } from './constructs/service-function';

export interface TimersStackProps extends StackProps {
  readonly ticketsTable: ITable;
  /** Heed's EventBridge Scheduler group (in the stateful stack). */
  readonly group: IScheduleGroup;
  /** Each timer owner's work queue (its construct owns it): where overdue timers are re-driven. */
  readonly owners: Readonly<Record<TimerOwner, { readonly queue: IQueue }>>;
  /** How often the sweeper looks for overdue timers. @default 5 minutes */
  readonly sweepEvery?: Duration;
}

/**
 * Timers (DESIGN §6): the sweeper, the safety net that re-drives any overdue timer through the
 * sparse due-bucket index every few minutes. Each owner's construct has the role its timers are
 * delivered with; the schedule group is in the stateful stack.
 */
export class TimersStack extends Stack {
  readonly sweeperFunction: ServiceFunction;
  readonly sweepRule: Rule;

  constructor(scope: Construct, id: string, props: TimersStackProps) {
    super(scope, id, props);
    this.sweeperFunction = new ServiceFunction(this, 'SweeperFunction', {
      service: 'sweeper',
      serviceName: 'sweeper',
      timeout: Duration.minutes(2),
      memorySize: 512,
      environment: Object.fromEntries(
        Object.entries(props.owners).map(([owner, { queue }]) => [ownerEnv(owner).queueUrl, queue.queueUrl]),
      ),
    })
      // Queries the due-bucket index; reads and moves its watermark (one system item).
      .bindTable(ENV.ticketsTable, props.ticketsTable, ['Query', 'GetItem', 'UpdateItem'], { index: true });
    // Re-drives a firing by sending it to its owner's queue, and may send nowhere else.
    this.sweeperFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: Object.values(props.owners).map(({ queue }) => queue.queueArn),
      }),
    );
    this.sweepRule = new Rule(this, 'SweepSchedule', {
      description: 'Runs the Heed timer sweeper',
      schedule: Schedule.rate(props.sweepEvery ?? Duration.minutes(5)),
      // A missed run is made up by the next one: no long retries.
      targets: [
        new LambdaFunction(this.sweeperFunction, { retryAttempts: 1, maxEventAge: Duration.minutes(4) }),
      ],
    });
    new CfnOutput(this, 'ScheduleGroupName', {
      value: props.group.scheduleGroupName,
      description: "EventBridge Scheduler group of Heed's timers",
    });
  }
}
