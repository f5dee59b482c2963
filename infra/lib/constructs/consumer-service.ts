import { SQS_BATCH_SIZE } from '@heed/aws/messaging';
import { type Consumer, eventPatternFor } from '@heed/contracts';
import { CfnOutput, Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  type ComparisonOperator,
  GraphWidget,
  type IMetric,
  type IWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { secureQueue } from './secure-queue';
import { ServiceFunction, type ServiceFunctionProps } from './service-function';
import { FIVE_MINUTES, heedAlarm, rate, type Watched } from './watch';

export interface ConsumerServiceProps {
  /** Its entry in the routing table (contracts): the rule's pattern, the queue's name. */
  readonly consumer: Consumer;
  readonly bus: IEventBus;
  /** Its function; `service` and `serviceName` default to the consumer's name. */
  readonly function?: Partial<ServiceFunctionProps>;
  /** Where its alarms go. */
  readonly alarmTopic: ITopic;
  /** The dashboard section's heading and what it is about (markdown). */
  readonly title: string;
  readonly summary: string;
  /**
   * Alarm when its oldest message is older than this: work is stuck though nothing reached the
   * DLQ yet. Above the longest intended wait (notifier backoff totals 7.5 min; timers may be
   * delayed up to 15 min on the owners' queues). @default 1200 (20 minutes)
   */
  readonly oldestMessageSeconds?: number;
}

/**
 * One consumer service of the routing table, whole: its rule on the bus, its queue and DLQ, its
 * function reading the queue, the alarms on all of them, and its section of the dashboard. A
 * service's stack adds its own grants, alarms (`alarm`) and widgets (`addRow`); the ops stack
 * only gathers `widgets`.
 */
export class ConsumerService extends Construct implements Watched {
  readonly queue: Queue;
  readonly dlq: Queue;
  readonly rule: Rule;
  readonly function: ServiceFunction;
  readonly alarms: Alarm[] = [];
  private readonly rows: IWidget[][] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ConsumerServiceProps,
  ) {
    super(scope, id);
    const { consumer } = props;
    this.dlq = secureQueue(this, 'Dlq', { deadLetterFor: `the ${consumer} queue and rule` });
    // Six times the consumer function's 30 s timeout, as AWS recommends for SQS event sources.
    this.queue = secureQueue(this, 'Queue', {
      deadLetter: this.dlq,
      visibilityTimeout: Duration.seconds(180),
    });
    const pattern = eventPatternFor(consumer);
    this.rule = new Rule(this, 'Rule', {
      eventBus: props.bus,
      description: `Routes ${pattern['detail-type'].join(', ')} to the ${consumer} queue`,
      eventPattern: { source: pattern.source, detailType: pattern['detail-type'] },
      targets: [
        new SqsQueue(this.queue, {
          deadLetterQueue: this.dlq,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
    this.function = new ServiceFunction(this, 'Function', {
      service: consumer,
      serviceName: consumer,
      ...props.function,
    });
    this.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: SQS_BATCH_SIZE, reportBatchItemFailures: true }),
    );
    new CfnOutput(this, 'QueueUrl', { value: this.queue.queueUrl, description: `The ${consumer} queue` });
    new CfnOutput(this, 'DlqUrl', {
      value: this.dlq.queueUrl,
      description: `The ${consumer} DLQ: npm run heed -- dlq list --queue-url <this>`,
    });

    this.alarm('ErrorRate', {
      metric: rate(
        this.function.metricErrors({ period: FIVE_MINUTES }),
        this.function.metricInvocations({ period: FIVE_MINUTES }),
        `${consumer} errors %`,
      ),
      threshold: 1,
      description: `The ${consumer} function is failing invocations.`,
    });
    this.alarm('OldestMessage', {
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      threshold: props.oldestMessageSeconds ?? 1200,
      description: `Work is waiting too long in the ${consumer} queue: its consumer is failing, throttled or stopped.`,
    });
    this.alarm('DeadLetters', {
      metric: this.dlq.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: 'Maximum',
      }),
      threshold: 1,
      description: `Messages reached the ${consumer} DLQ: work that failed every retry. Inspect and redrive (npm run heed -- dlq list).`,
    });
  }

  /** An alarm of this service, to the alarm topic. */
  alarm(
    id: string,
    args: {
      readonly metric: IMetric;
      readonly threshold: number;
      readonly description: string;
      readonly comparison?: ComparisonOperator;
    },
  ): Alarm {
    const a = heedAlarm(this, id, this.props.alarmTopic, args);
    this.alarms.push(a);
    return a;
  }

  /** A row of this service's own widgets (its metrics), above its queue and function health. */
  addRow(...widgets: IWidget[]): this {
    this.rows.push(widgets);
    return this;
  }

  /** The service's dashboard section: heading, its own rows, then queue and function health. */
  get widgets(): IWidget[][] {
    const { consumer, title, summary } = this.props;
    const fn = this.function;
    return [
      [new TextWidget({ markdown: `## ${title}\n${summary}`, width: 24, height: 2 })],
      ...this.rows,
      [
        new GraphWidget({
          title: `${consumer} queue: depth and oldest (s)`,
          left: [this.queue.metricApproximateNumberOfMessagesVisible({ label: 'visible' })],
          right: [this.queue.metricApproximateAgeOfOldestMessage({ label: 'oldest (s)' })],
          width: 8,
        }),
        new GraphWidget({
          title: `${consumer} dead letters`,
          left: [this.dlq.metricApproximateNumberOfMessagesVisible({ label: 'DLQ', statistic: 'Maximum' })],
          width: 8,
        }),
        new GraphWidget({
          title: `${consumer} function: errors, throttles, duration p99`,
          left: [fn.metricErrors(), fn.metricThrottles()],
          right: [fn.metricDuration({ statistic: 'p99' })],
          width: 8,
        }),
      ],
    ];
  }
}
