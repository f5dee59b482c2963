import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Decides when a failed message comes back. */
export interface RetryScheduler {
  retryLater(receiptHandle: string, receiveCount: number): Promise<void>;
}

/**
 * Exponential backoff on SQS: a failed message's visibility timeout is set to
 * base × 2^(receives − 1) seconds (capped), so a struggling endpoint is retried at 30 s, 1 min,
 * 2 min, 4 min… instead of at the queue's fixed timeout. Reported as a batch item failure after.
 */
export class SqsBackoff implements RetryScheduler {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly baseSeconds = 30,
    private readonly maxSeconds = 900,
  ) {}

  delaySeconds(receiveCount: number): number {
    return Math.min(this.maxSeconds, Math.round(this.baseSeconds * 2 ** Math.max(0, receiveCount - 1)));
  }

  async retryLater(receiptHandle: string, receiveCount: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: this.delaySeconds(receiveCount),
      }),
    );
  }
}
