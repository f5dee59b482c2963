import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type EventPublisher,
  lambdaHandler,
  logger,
  MAX_PUT_EVENTS_ENTRIES,
  MetricUnit,
  OUTBOX_ATTRIBUTE,
  recordMetric,
} from '@heed/aws';
import type { DomainEvent } from '@heed/contracts';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/** The domain events a stream record asks to publish (none for anything but a new log item). */
export const outboxOf = (record: DynamoDBRecord): DomainEvent[] => {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return [];
  return (unmarshall(image as Record<string, AttributeValue>)[OUTBOX_ATTRIBUTE] ?? []) as DomainEvent[];
};

/** Waits a little before reporting a failure: Lambda retries a stream batch at once, without backoff. */
const pauseBeforeRetry = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The outbox relay. Each new log or outbox item carries the domain events its transaction decided
 * to publish; this puts them on the bus, packing the events of consecutive records into as few
 * PutEvents calls as possible, never splitting one record across calls.
 *
 * Failures are blamed on the record whose event actually failed, not on its call: when the bus
 * refuses some entries, the other records are still published, and only the earliest failed
 * record is reported, so the stream retries from there (records after it are published again,
 * and consumers dedupe by `detail.eventId`). When a whole call fails (the bus is down or
 * throttling), the relay stops there: the rest would fail too. The event source mapping retries
 * until the record leaves the stream (24 h, alarmed on iterator age long before), then keeps the
 * whole record in the S3 failure bucket; `heed outbox redrive` re-publishes from the log.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
export const relayBatch = async (
  event: DynamoDBStreamEvent,
  publisher: EventPublisher,
  retryPauseMs = 500,
): Promise<DynamoDBBatchResponse> => {
  // Calls of at most MAX_PUT_EVENTS_ENTRIES events, each made of whole records.
  const calls: { record: DynamoDBRecord; events: DomainEvent[] }[][] = [];
  let size = 0;
  for (const record of event.Records) {
    const events = outboxOf(record);
    if (events.length === 0) continue;
    if (calls.length === 0 || size + events.length > MAX_PUT_EVENTS_ENTRIES) {
      calls.push([]);
      size = 0;
    }
    calls.at(-1)?.push({ record, events });
    size += events.length;
  }
  let firstFailed: DynamoDBRecord | undefined;
  let published = 0;
  for (const call of calls) {
    const events = call.flatMap((c) => c.events);
    const { failed } = await publisher.publish(events);
    published += events.length - failed.length;
    if (failed.length === 0) continue;
    // Map failed entries back to their records.
    const owners: DynamoDBRecord[] = call.flatMap((c) => c.events.map(() => c.record));
    const failedRecords = new Set(failed.map((f) => owners[f.index]));
    const earliest = call.find((c) => failedRecords.has(c.record))?.record;
    firstFailed ??= earliest;
    logger.error('the bus refused events; the stream will retry from the earliest failed record', {
      sequenceNumber: earliest?.dynamodb?.SequenceNumber,
      codes: [...new Set(failed.map((f) => f.code))],
      refused: failed.length,
      of: events.length,
    });
    if (failed.length === events.length) break; // the whole call failed: the bus is down or throttling
  }
  recordMetric('EventsPublished', MetricUnit.Count, published);
  if (!firstFailed) return { batchItemFailures: [] };
  await pauseBeforeRetry(retryPauseMs);
  return { batchItemFailures: [{ itemIdentifier: firstFailed.dynamodb?.SequenceNumber ?? '' }] };
};

export const createRelayHandler = (publisher: EventPublisher, retryPauseMs?: number) =>
  lambdaHandler((event: DynamoDBStreamEvent) => relayBatch(event, publisher, retryPauseMs));
