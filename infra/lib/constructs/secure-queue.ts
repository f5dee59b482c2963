import { MAX_RECEIVE_COUNT } from '@heed/aws/messaging';
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';

export interface SecureQueueProps {
  /** Messages that fail MAX_RECEIVE_COUNT receives move here. @default no DLQ */
  readonly deadLetter?: Queue;
  /** @default 30 seconds */
  readonly visibilityTimeout?: Duration;
  /**
   * Marks this queue as the dead-letter queue (or failure destination) of what is named here;
   * such a queue needs no DLQ of its own because it is alarmed on depth > 0.
   * @default not a dead-letter queue
   */
  readonly deadLetterFor?: string;
}

/** Encrypted, TLS-only queues: the one set of defaults every Heed queue gets. */
export const secureQueue = (scope: Construct, id: string, props: SecureQueueProps = {}): Queue => {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    ...(props.visibilityTimeout && { visibilityTimeout: props.visibilityTimeout }),
    ...(props.deadLetter && {
      deadLetterQueue: { queue: props.deadLetter, maxReceiveCount: MAX_RECEIVE_COUNT },
    }),
  });
  if (props.deadLetterFor) {
    NagSuppressions.addResourceSuppressions(queue, [
      {
        id: 'AwsSolutions-SQS3',
        reason: `This is the dead-letter queue of ${props.deadLetterFor}; it is alarmed on depth > 0.`,
      },
    ]);
  }
  return queue;
};
