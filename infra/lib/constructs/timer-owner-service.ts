import type { TimerOwner } from '@heed/contracts';
import { GraphWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { ConsumerService, type ConsumerServiceProps } from './consumer-service';
import { TimerTarget } from './timer-target';
import { heedMetric } from './watch';

export interface TimerOwnerServiceProps extends ConsumerServiceProps {
  readonly consumer: TimerOwner;
  /** Heed's EventBridge Scheduler group. */
  readonly group: IScheduleGroup;
  /** What a late firing of this owner's timers means to people (the lag alarm's description). */
  readonly lateMeans: string;
  /** Alarm when the p99 of timer lag (fired − due) exceeds this. @default 120 */
  readonly timerLagP99Seconds?: number;
}

/**
 * A timer owner (DESIGN §6) whole: a consumer service whose queue also receives its timers'
 * firings, with the role Scheduler delivers them with, the grants to arm them, and an alarm on
 * how late they fire. Timers may wait up to 15 minutes on the queue, so its oldest-message
 * alarm allows 40.
 */
export class TimerOwnerService extends ConsumerService {
  readonly timers: TimerTarget;

  constructor(scope: Construct, id: string, props: TimerOwnerServiceProps) {
    super(scope, id, { oldestMessageSeconds: 2400, ...props });
    const owner = props.consumer;
    this.timers = new TimerTarget(this, 'Timers', {
      owner,
      group: props.group,
      queue: this.queue,
      dlq: this.dlq,
    });
    this.timers.bindOwner(this.function);
    const p99 = heedMetric('TimerLag', owner, 'p99');
    this.alarm('TimerLagP99', {
      metric: p99,
      threshold: (props.timerLagP99Seconds ?? 120) * 1000,
      description: `${owner} timers fire late (p99 of fired - due): ${props.lateMeans}. Check the ${owner} queue, its function and Scheduler.`,
    });
    this.addRow(
      new GraphWidget({
        title: `${owner} timer lag (fired - due, ms)`,
        left: [heedMetric('TimerLag', owner, 'p50'), p99],
        width: 8,
      }),
    );
  }
}
