import { CONSUMERS, type Consumer, eventPatternFor } from '@heed/contracts';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { secureQueue } from './constructs/secure-queue';

export interface MessagingStackProps extends StackProps {
  readonly bus: IEventBus;
}

export interface ConsumerQueues {
  readonly queue: Queue;
  readonly dlq: Queue;
}

/**
 * One queue + DLQ + rule per consumer of the routing table. The rule patterns come from the
 * contracts package, the same table the local bus routes with.
 */
export class MessagingStack extends Stack {
  readonly consumers: Record<Consumer, ConsumerQueues>;
  readonly rules: Record<Consumer, Rule>;

  constructor(scope: Construct, id: string, props: MessagingStackProps) {
    super(scope, id, props);
    const consumers = {} as Record<Consumer, ConsumerQueues>;
    const rules = {} as Record<Consumer, Rule>;
    for (const consumer of CONSUMERS) {
      const name = `${consumer[0]?.toUpperCase()}${consumer.slice(1)}`;
      const dlq = secureQueue(this, `${name}Dlq`, { deadLetterFor: `the ${consumer} queue and rule` });
      // Six times the consumer function's 30 s timeout, as AWS recommends for SQS event sources.
      const queue = secureQueue(this, `${name}Queue`, {
        deadLetter: dlq,
        visibilityTimeout: Duration.seconds(180),
      });
      const pattern = eventPatternFor(consumer);
      rules[consumer] = new Rule(this, `${name}Rule`, {
        eventBus: props.bus,
        description: `Routes ${pattern['detail-type'].join(', ')} to the ${consumer} queue`,
        eventPattern: { source: pattern.source, detailType: pattern['detail-type'] },
        targets: [
          new SqsQueue(queue, { deadLetterQueue: dlq, retryAttempts: 185, maxEventAge: Duration.hours(24) }),
        ],
      });
      consumers[consumer] = { queue, dlq };
      new CfnOutput(this, `${name}QueueUrl`, { value: queue.queueUrl, description: `The ${consumer} queue` });
      new CfnOutput(this, `${name}DlqUrl`, {
        value: dlq.queueUrl,
        description: `The ${consumer} DLQ: npm run heed -- dlq list --queue-url <this>`,
      });
    }
    this.consumers = consumers;
    this.rules = rules;
  }
}
