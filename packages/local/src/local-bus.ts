import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  type CallCounter,
  type EventPublisher,
  errorSummary,
  MAX_PUT_EVENTS_ENTRIES,
  type PublishOutcome,
} from '@heed/aws';
import { type DomainEvent, SOURCE } from '@heed/contracts';
import { type EventPattern, matchesPattern } from './event-pattern';

export interface LocalRule {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly queueUrl: string;
}

/** The JSON an EventBridge rule delivers to an SQS target (the whole event, detail inside). */
export interface BusEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: unknown;
}

/**
 * SQS accepts #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF; the local emulator also
 * refuses the last range (AWS does not). JSON may escape any character, so the local bus writes
 * everything beyond U+FFFD as a \u escape: the same JSON, an emoji in an id never blocks delivery.
 */
export const sqsSafe = (json: string): string =>
  json.replace(/[\u{10000}-\u{10FFFF}\uFFFE\uFFFF]/gu, (c) =>
    Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(
      '',
    ),
  );

/**
 * The local EventBridge bus: matches each event against the rules (built from the same routing
 * table as the CDK rules) and sends the event envelope to every matching rule's queue.
 */
/** The bus's name in traced calls (the IAM test maps it to the deployed bus). */
export const LOCAL_BUS_NAME = 'local-bus';

export class LocalBus implements EventPublisher {
  readonly #listeners = new Set<(envelope: BusEnvelope) => void>();
  constructor(
    private readonly sqs: SQSClient,
    private readonly rules: readonly LocalRule[],
    private readonly counter?: CallCounter,
    /** The fault mode: refuse this entry, as PutEvents may refuse any one. */
    private readonly refuse?: () => boolean,
  ) {}

  /** Sees every event put on the bus, like an archive; used by tests and the runtime log. */
  onEvent(listener: (envelope: BusEnvelope) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async publish(events: readonly DomainEvent[]): Promise<PublishOutcome> {
    for (let i = 0; i < events.length; i += MAX_PUT_EVENTS_ENTRIES)
      this.counter?.record('EventBridge', 'PutEvents', { EventBusName: LOCAL_BUS_NAME });
    this.counter?.recordPlatform('EventBridge event', events.length);
    // Standard queues promise no order, so one PutEvents call's events are delivered in parallel;
    // like PutEvents, an event that cannot be delivered fails alone.
    const results = await Promise.allSettled(
      events.map(async (event) => {
        if (this.refuse?.()) throw new Error('InternalFailure (injected: the bus refused this entry)');
        const envelope: BusEnvelope = {
          version: '0',
          id: randomUUID(),
          'detail-type': event.detailType,
          source: SOURCE,
          account: '000000000000',
          time: new Date(event.detail.emittedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          region: 'us-east-1',
          resources: [],
          detail: event.detail,
        };
        const body = sqsSafe(JSON.stringify(envelope));
        const targets = this.rules.filter((rule) => matchesPattern(rule.pattern, envelope));
        this.counter?.recordPlatform('SQS request by a rule', targets.length);
        await Promise.all(
          targets.map((rule) =>
            this.sqs.send(new SendMessageCommand({ QueueUrl: rule.queueUrl, MessageBody: body })),
          ),
        );
        for (const listener of this.#listeners) listener(envelope);
      }),
    );
    return {
      failed: results.flatMap((r, index) =>
        r.status === 'rejected' ? [{ index, code: errorSummary(r.reason).name }] : [],
      ),
    };
  }
}
