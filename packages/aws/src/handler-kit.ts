import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { errorSummary } from './errors';
import { MAX_RECEIVE_COUNT } from './messaging';
import { logger, metrics } from './powertools';

/**
 * Every Heed handler is this middy chain around a plain async function: a logger with the
 * Lambda context (no event bodies: they carry PII), and metrics flushed at the end.
 */
export const lambdaHandler = <E, R>(fn: (event: E, context: Context) => Promise<R>) =>
  middy(fn)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(flushMetrics);

/**
 * Flushes buffered metrics after every invocation, also a failed one. Unlike Powertools'
 * logMetrics it stays quiet when an invocation recorded none (a read, say).
 */
const flushMetrics: middy.MiddlewareObj = {
  after: () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  },
  onError: () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  },
};

export { errorSummary, isTransientError } from './errors';

/** A record did not finish within the invocation's time budget; it is retried like any failure. */
export class RecordTimeoutError extends Error {
  override readonly name = 'RecordTimeoutError';
}

/** What a record handler knows about the delivery of its message. */
export interface Delivery {
  /** 1 for the first receive; MAX_RECEIVE_COUNT on the last before the DLQ. */
  readonly receiveCount: number;
  /** This is the last receive: a failure now sends the message to the DLQ. */
  readonly last: boolean;
}

export interface SqsConsumer {
  /** Handles one message; throwing retries it (visibility timeout), MAX_RECEIVE_COUNT times. */
  handle(record: SQSRecord, delivery: Delivery): Promise<void>;
  /**
   * Called when a record fails on its last receive, before it moves to the DLQ: records the
   * failure where a person will see it (a failed delivery on the ticket). Best effort: if this
   * fails too, the message is still in the DLQ (alarmed) and `heed dlq redrive` replays it.
   */
  deadLetter?(record: SQSRecord, error: unknown): Promise<void>;
  /**
   * Records of one batch with the same key are handled once, by the last of them (with the
   * highest receive count among them), and share its outcome: for a consumer whose work depends
   * only on the key (look at this ticket again), a burst of ten events of one ticket is one look,
   * not ten racing ones. Records without a key are handled each on its own.
   */
  coalesce?(record: SQSRecord): string | null;
}

/**
 * Tries the dead-letter hook this often: it is the one place a failure becomes visible on the
 * ticket, and its writes are idempotent (keyed by the record and the instant), so a transient
 * error on the way there must not hide the failure.
 */
const DEAD_LETTER_ATTEMPTS = 5;
const attempts = async (work: () => Promise<void>, times: number): Promise<void> => {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (error) {
      if (i >= times) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** i));
    }
  }
};

/** Time kept back from the Lambda deadline so failures can still be reported. */
const DEADLINE_MARGIN_MS = 3_000;

const withDeadline = async (work: () => Promise<void>, context: Context): Promise<void> => {
  const budget = Math.max(1_000, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new RecordTimeoutError(`record not done within ${budget} ms`)),
          budget,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * An SQS consumer on Powertools' BatchProcessor: records are handled concurrently (a standard
 * queue promises no order) and only the failed ones are reported, so only those are retried
 * (needs ReportBatchItemFailures on the mapping). A record that would outlive the invocation is
 * failed before Lambda's timeout, so it counts as one receive like any failure, and on its last
 * receive the consumer's dead-letter hook says so on the ticket. Errors are never swallowed.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export const sqsConsumer = (consumer: SqsConsumer) =>
  lambdaHandler(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // One processor per invocation: the local runtime runs batches of one handler concurrently.
    const processor = new BatchProcessor(EventType.SQS);
    const receiveCountOf = (record: SQSRecord) => Number(record.attributes.ApproximateReceiveCount ?? '1');
    // The records of the batch that share a key; a record without one is a group of its own.
    const byKey = new Map<string, SQSRecord[]>();
    for (const record of event.Records) {
      const key = consumer.coalesce?.(record);
      if (key != null) byKey.set(key, [...(byKey.get(key) ?? []), record]);
    }
    const groups = new Map<SQSRecord, SQSRecord[]>();
    for (const group of byKey.values()) for (const record of group) groups.set(record, group);
    const shared = new Map<SQSRecord[], Promise<void>>();
    const work = (record: SQSRecord): Promise<void> => {
      const group = groups.get(record) ?? [record];
      let done = shared.get(group);
      if (!done) {
        const receiveCount = Math.max(...group.map(receiveCountOf));
        done = consumer.handle(group.at(-1) as SQSRecord, {
          receiveCount,
          last: receiveCount >= MAX_RECEIVE_COUNT,
        });
        shared.set(group, done);
      }
      return done;
    };
    const handleRecord = async (record: SQSRecord): Promise<void> => {
      const receiveCount = receiveCountOf(record);
      const delivery = { receiveCount, last: receiveCount >= MAX_RECEIVE_COUNT };
      try {
        await withDeadline(() => work(record), context);
      } catch (error) {
        logger.error(
          delivery.last
            ? 'record failed for the last time; it goes to the DLQ'
            : 'record failed; it will be retried',
          {
            messageId: record.messageId,
            receiveCount,
            error: errorSummary(error),
          },
        );
        if (delivery.last && consumer.deadLetter) {
          const hook = consumer.deadLetter.bind(consumer);
          await attempts(() => hook(record, error), DEAD_LETTER_ATTEMPTS).catch((hookError: unknown) =>
            logger.error('could not record the dead-lettered record on the ticket', {
              messageId: record.messageId,
              error: errorSummary(hookError),
            }),
          );
        }
        throw error;
      }
    };
    return processPartialResponse(event, handleRecord, processor, {
      context,
      throwOnFullBatchFailure: false,
    });
  });
