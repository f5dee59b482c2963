import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type EventPublisher,
  errorSummary,
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

/**
 * The outbox relay: each new event-log item carries the domain events its transaction decided to
 * publish; this puts them on the bus, packing the events of consecutive records into as few
 * PutEvents calls as possible, without splitting one record across calls. When a call fails, the first record of that call is reported and
 * the stream retries from there, so an accepted event is never lost; consumers dedupe the
 * re-sends by `detail.eventId`.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
export const relayBatch = async (
  event: DynamoDBStreamEvent,
  publisher: EventPublisher,
): Promise<DynamoDBBatchResponse> => {
  const pending: { sequenceNumber: string; events: DomainEvent[] }[] = [];
  const flush = async (): Promise<DynamoDBBatchResponse | null> => {
    if (pending.length === 0) return null;
    const events = pending.flatMap((p) => p.events);
    try {
      await publisher.publish(events);
    } catch (error) {
      const sequenceNumber = pending[0]?.sequenceNumber ?? '';
      logger.error('publishing failed; the stream will retry', {
        sequenceNumber,
        error: errorSummary(error),
      });
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
    }
    recordMetric('EventsPublished', MetricUnit.Count, events.length);
    pending.length = 0;
    return null;
  };
  for (const record of event.Records) {
    const events = outboxOf(record);
    if (events.length === 0) continue;
    if (pending.reduce((n, p) => n + p.events.length, 0) + events.length > MAX_PUT_EVENTS_ENTRIES) {
      const failed = await flush();
      if (failed) return failed;
    }
    pending.push({ sequenceNumber: record.dynamodb?.SequenceNumber ?? '', events });
  }
  return (await flush()) ?? { batchItemFailures: [] };
};

export const createRelayHandler = (publisher: EventPublisher) =>
  lambdaHandler((event: DynamoDBStreamEvent) => relayBatch(event, publisher));
