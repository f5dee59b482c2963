import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { type DomainEvent, SOURCE } from '@heed/contracts';
import { errorSummary } from './errors';

/** What became of each event of a publish call: the indexes that failed, and why. */
export interface PublishOutcome {
  readonly failed: readonly { readonly index: number; readonly code: string }[];
}

/**
 * The port every service publishes domain events through: EventBridge in AWS, the local bus
 * locally. It reports failures per event instead of throwing, so a caller can tell one refused
 * event from an unavailable bus.
 */
export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<PublishOutcome>;
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

  async publish(events: readonly DomainEvent[]): Promise<PublishOutcome> {
    const failed: { index: number; code: string }[] = [];
    for (let i = 0; i < events.length; i += MAX_PUT_EVENTS_ENTRIES) {
      const chunk = events.slice(i, i + MAX_PUT_EVENTS_ENTRIES);
      try {
        const out = await this.client.send(
          new PutEventsCommand({ Entries: chunk.map((e) => toBusEntry(e, this.busName)) }),
        );
        // PutEvents fails per entry with HTTP 200: each result lines up with its entry.
        (out.Entries ?? []).forEach((entry, j) => {
          if (entry.ErrorCode) failed.push({ index: i + j, code: entry.ErrorCode });
        });
      } catch (error) {
        const { name } = errorSummary(error);
        failed.push(...chunk.map((_, j) => ({ index: i + j, code: name })));
      }
    }
    return { failed };
  }
}
