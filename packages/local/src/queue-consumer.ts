import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type CallCounter, logger, SQS_BATCH_SIZE } from '@heed/aws';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type Invocable, lambdaContext } from './lambda-context';
import { sleep } from './processes';

const toRecord = (message: Message, queueArn: string): SQSRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: message.Attributes?.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp:
      message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: message.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: 'us-east-1',
});

/**
 * An SQS event source mapping, locally: long-polls the queue, invokes the handler with a real
 * SQS batch event, deletes the records that succeeded and leaves the reported failures (or the
 * whole batch when the handler throws) to become visible again, so the emulator's redrive policy
 * moves them to the DLQ after maxReceiveCount receives, exactly as in AWS.
 */
export class QueueConsumer {
  #running = false;
  #loops: Promise<void>[] = [];
  #inFlight = 0;

  constructor(
    private readonly sqs: SQSClient,
    readonly name: string,
    readonly queueUrl: string,
    private readonly queueArn: string,
    private readonly handler: Invocable<SQSEvent, SQSBatchResponse | undefined>,
    /** Batches handled at once, like concurrent Lambda invocations of one event source mapping. */
    private readonly concurrency = 4,
    /** Counts the event source's billed SQS requests (idle long polls aside). */
    private readonly counter?: CallCounter,
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loops = Array.from({ length: this.concurrency }, () => this.#poll());
  }

  /** True while a batch is being handled: lets tests wait for quiet without sleeping blindly. */
  get busy(): boolean {
    return this.#inFlight > 0;
  }

  /** Stops polling; waits at most `graceMs` for batches in hand (Ctrl-C must be quick). */
  async stop(graceMs = 2_000): Promise<void> {
    this.#running = false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.#loops),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }

  async #poll(): Promise<void> {
    while (this.#running) {
      try {
        const out = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.queueUrl,
            MaxNumberOfMessages: SQS_BATCH_SIZE,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        const messages = out.Messages ?? [];
        if (messages.length > 0) {
          this.counter?.recordPlatform('SQS request by an event source');
          await this.#invoke(messages);
        }
      } catch (error) {
        if (!this.#running) return;
        logger.error('local queue poll failed', { queue: this.name, error: String(error) });
        await sleep(500);
      }
    }
  }

  async #invoke(messages: Message[]): Promise<void> {
    this.#inFlight++;
    try {
      const records = messages.map((m) => toRecord(m, this.queueArn));
      let failed: Set<string>;
      try {
        const response = await this.handler({ Records: records }, lambdaContext(this.name));
        failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch (error) {
        logger.error('local consumer threw; the whole batch will be retried', {
          queue: this.name,
          error: String(error),
        });
        failed = new Set(records.map((r) => r.messageId));
      }
      const done = records.filter((r) => !failed.has(r.messageId));
      if (done.length > 0) {
        this.counter?.recordPlatform('SQS request by an event source');
        await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
          }),
        );
      }
    } finally {
      this.#inFlight--;
    }
  }
}
