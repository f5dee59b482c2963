import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type EventPublisher,
  lambdaHandler,
  MetricUnit,
  OUTBOX_ATTRIBUTE,
  processStreamBatch,
  recordMetric,
} from '@heed/aws';
import type { DomainEvent } from '@heed/contracts';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * The outbox relay: each new event-log item carries the domain events its transaction decided to
 * publish; this puts them on the bus. A failed PutEvents fails the record and the stream retries
 * it, so an accepted event is never lost; consumers dedupe the re-sends by `detail.eventId`.
 */
export const relayRecord = async (record: DynamoDBRecord, publisher: EventPublisher): Promise<void> => {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return;
  const item = unmarshall(image as Record<string, AttributeValue>);
  const events = (item[OUTBOX_ATTRIBUTE] ?? []) as DomainEvent[];
  if (events.length === 0) return;
  await publisher.publish(events);
  recordMetric('EventsPublished', MetricUnit.Count, events.length);
};

export const createRelayHandler = (publisher: EventPublisher) =>
  lambdaHandler((event: DynamoDBStreamEvent) =>
    processStreamBatch(event, (record) => relayRecord(record, publisher)),
  );
