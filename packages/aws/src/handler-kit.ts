import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics, tracer } from './powertools';

/**
 * Every Heed handler is this middy chain around a plain async function: tracing, a logger with
 * the Lambda context (no event bodies: they carry PII), and metrics flushed at the end.
 */
export const lambdaHandler = <E, R>(fn: (event: E, context: Context) => Promise<R>) =>
  middy(fn)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
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

/** What a log line may say about an error: its name and message, never its payload. */
export const errorSummary = (error: unknown): { name: string; message: string } =>
  error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Unknown', message: String(error) };

/**
 * Processes an SQS batch, its records concurrently (a standard queue promises no order), and
 * reports the failed ones so that only those are retried (and after maxReceiveCount go to the
 * DLQ). Errors are never swallowed: a failed record is reported, not dropped. Needs
 * `ReportBatchItemFailures` on the event source mapping.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export const processSqsBatch = async (
  event: SQSEvent,
  handle: (record: SQSRecord) => Promise<void>,
): Promise<SQSBatchResponse> => {
  const results = await Promise.allSettled(event.Records.map((record) => handle(record)));
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  results.forEach((result, i) => {
    const record = event.Records[i] as SQSRecord;
    if (result.status === 'rejected') {
      logger.error('record failed; it will be retried', {
        messageId: record.messageId,
        error: errorSummary(result.reason),
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  });
  return { batchItemFailures };
};
