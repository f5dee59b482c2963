import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { type DomainEvent, SOURCE } from '@heed/contracts';

/** The port every service publishes domain events through: EventBridge in AWS, the local bus locally. */
export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}

export class PublishError extends Error {
  override readonly name = 'PublishError';
}

/** PutEvents accepts at most 10 entries per call. */
export const MAX_PUT_EVENTS_ENTRIES = 10;

export const toBusEntry = (event: DomainEvent, busName: string): PutEventsRequestEntry => ({
  Source: SOURCE,
  DetailType: event.detailType,
  Detail: JSON.stringify(event.detail),
  EventBusName: busName,
  Time: new Date(event.detail.emittedAt),
});

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_PUT_EVENTS_ENTRIES) {
      const chunk = events.slice(i, i + MAX_PUT_EVENTS_ENTRIES);
      const out = await this.client.send(
        new PutEventsCommand({ Entries: chunk.map((e) => toBusEntry(e, this.busName)) }),
      );
      // PutEvents can fail per entry with HTTP 200: treat any failed entry as a failure of the
      // whole record so the stream retries it (consumers dedupe by detail.eventId).
      if ((out.FailedEntryCount ?? 0) > 0) {
        const codes = (out.Entries ?? []).map((e) => e.ErrorCode).filter(Boolean);
        throw new PublishError(`PutEvents failed for ${out.FailedEntryCount} entries: ${codes.join(', ')}`);
      }
    }
  }
}
