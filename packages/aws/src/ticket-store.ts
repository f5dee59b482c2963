import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DomainEvent, InboundEvent } from '@heed/contracts';
import {
  applyEvent,
  domainEventsFor,
  emptyTicket,
  foldEvents,
  isInOrder,
  orderKey,
  type TicketState,
  ticketReference,
} from '@heed/core';
import type { AckRecord, DeliveryRecord } from './delivery-store';
import {
  ACK_SK_PREFIX,
  DEDUPE_SK,
  DELIVERY_SK_PREFIX,
  dedupePk,
  EVENT_SK_PREFIX,
  OUTBOX_ATTRIBUTE,
  STATE_SK,
  ticketPk,
} from './table-schema';

export type RecordOutcome =
  | { readonly status: 'accepted'; readonly ticket: TicketState; readonly emitted: readonly DomainEvent[] }
  | { readonly status: 'duplicate'; readonly ticketId: string };

/** One entry of a ticket's timeline, in `occurredAt` order. */
export interface TimelineEntry {
  readonly event: InboundEvent;
  readonly receivedAt: string;
  readonly emitted: readonly string[];
}

/** Everything kept about one ticket, read with a single Query of its partition. */
export interface TicketView {
  readonly state: TicketState;
  readonly timeline: TimelineEntry[];
  readonly acknowledgements: AckRecord[];
  readonly deliveries: DeliveryRecord[];
}

export interface TicketStorePort {
  record(tenantId: string, event: InboundEvent, receivedAt: Date): Promise<RecordOutcome>;
  get(tenantId: string, ticketId: string): Promise<TicketState | null>;
  view(tenantId: string, ticketId: string): Promise<TicketView | null>;
}

/** Concurrent writers kept beating this one; the caller should answer 503 and the producer retry. */
export class TicketContentionError extends Error {
  override readonly name = 'TicketContentionError';
}

interface StateItem {
  state: TicketState;
  version: number;
}

interface EventItem {
  event: InboundEvent;
  receivedAt: string;
  [OUTBOX_ATTRIBUTE]?: DomainEvent[];
}

const toEntry = (item: EventItem): TimelineEntry => ({
  event: item.event,
  receivedAt: item.receivedAt,
  emitted: (item[OUTBOX_ATTRIBUTE] ?? []).map((e) => e.detailType),
});

const MAX_ATTEMPTS = 8;
const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));

/**
 * DynamoDB store of tickets. One transaction per accepted event writes the dedupe marker, the
 * event-log item (which carries the domain events to publish: the outbox, relayed by the table's
 * stream) and the projection, guarded by the projection's version. A duplicate event id fails the
 * marker's condition; a concurrent writer fails the version check and we re-read and retry. So
 * nothing is ever half-written and nothing applies twice.
 */
export class DynamoTicketStore implements TicketStorePort {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(tenantId: string, event: InboundEvent, receivedAt: Date): Promise<RecordOutcome> {
    const pk = ticketPk(tenantId, event.ticketId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.#readState(pk);
      const before =
        current?.state ?? emptyTicket(tenantId, event.ticketId, ticketReference(tenantId, event.ticketId));
      const inOrder = isInOrder(before, event);
      // A late event needs the whole log re-folded; a replayed one (the common late case) is
      // answered from its dedupe marker first, so duplicates never pay for the Query.
      if (!inOrder) {
        const seen = await this.#dedupeTicket(tenantId, event.id);
        if (seen !== null) return { status: 'duplicate', ticketId: seen };
      }
      const after = inOrder
        ? applyEvent(before, event)
        : foldEvents(emptyTicket(tenantId, event.ticketId, before.reference), [
            ...(await this.#events(pk)).map((e) => e.event),
            event,
          ]);
      const emitted = domainEventsFor(event, before, after, receivedAt.toISOString());
      const eventItem: EventItem & Record<string, unknown> = {
        pk,
        sk: `${EVENT_SK_PREFIX}${orderKey(event)}`,
        kind: 'event',
        event,
        receivedAt: receivedAt.toISOString(),
        ...(emitted.length > 0 && { [OUTBOX_ATTRIBUTE]: emitted }),
      };
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    pk: dedupePk(tenantId, event.id),
                    sk: DEDUPE_SK,
                    kind: 'dedupe',
                    ticketId: event.ticketId,
                    receivedAt: receivedAt.toISOString(),
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: eventItem,
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    pk,
                    sk: STATE_SK,
                    kind: 'ticket',
                    state: after,
                    version: (current?.version ?? 0) + 1,
                  },
                  ...(current
                    ? {
                        ConditionExpression: 'version = :v',
                        ExpressionAttributeValues: { ':v': current.version },
                      }
                    : { ConditionExpression: 'attribute_not_exists(pk)' }),
                },
              },
            ],
          }),
        );
        return { status: 'accepted', ticket: after, emitted };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [dedupe, log] = error.CancellationReasons ?? [];
        if (dedupe?.Code === 'ConditionalCheckFailed' || log?.Code === 'ConditionalCheckFailed') {
          return {
            status: 'duplicate',
            ticketId: (await this.#dedupeTicket(tenantId, event.id)) ?? event.ticketId,
          };
        }
        await backoff(attempt); // version moved or transaction conflict: re-read and try again
      }
    }
    throw new TicketContentionError(`ticket ${event.ticketId} is being updated concurrently; retry`);
  }

  async get(tenantId: string, ticketId: string): Promise<TicketState | null> {
    return (await this.#readState(ticketPk(tenantId, ticketId)))?.state ?? null;
  }

  async view(tenantId: string, ticketId: string): Promise<TicketView | null> {
    const items = await this.#query(ticketPk(tenantId, ticketId));
    const state = items.find((i) => i.sk === STATE_SK) as StateItem | undefined;
    if (!state) return null;
    const of = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix));
    return {
      state: state.state,
      timeline: (of(EVENT_SK_PREFIX) as unknown as EventItem[]).map(toEntry),
      acknowledgements: of(ACK_SK_PREFIX) as unknown as AckRecord[],
      deliveries: of(DELIVERY_SK_PREFIX) as unknown as DeliveryRecord[],
    };
  }

  async #readState(pk: string): Promise<StateItem | null> {
    const out = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk, sk: STATE_SK }, ConsistentRead: true }),
    );
    return (out.Item as StateItem | undefined) ?? null;
  }

  /** The ticket an already-recorded event id belongs to, or null when the id is new. */
  async #dedupeTicket(tenantId: string, eventId: string): Promise<string | null> {
    const out = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: dedupePk(tenantId, eventId), sk: DEDUPE_SK },
        ConsistentRead: true,
      }),
    );
    return (out.Item?.ticketId as string | undefined) ?? null;
  }

  async #events(pk: string): Promise<EventItem[]> {
    return (await this.#query(pk, EVENT_SK_PREFIX)) as unknown as EventItem[];
  }

  async #query(pk: string, prefix?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :p)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk, ...(prefix && { ':p': prefix }) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
