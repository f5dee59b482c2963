import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AckRecord, DeliveryRecord, TicketState } from '@heed/core';
import {
  ACK_SK_PREFIX,
  ACTIVITY_SK_PREFIX,
  DELIVERY_SK_PREFIX,
  EVENT_SK_PREFIX,
  STATE_SK,
  ticketPk,
} from './table-schema';
import { type LogItem, logFrom, queryAll } from './ticket-store';

/** An activity item as stored (what Heed did), keys and index attributes included. */
export type ActivityItem = Readonly<Record<string, unknown>> & { readonly sk: string; readonly type: string };

/** One timeline entry: a logged event or an activity; `key` orders them (`<at>#<id>`). */
export type TimelineItem =
  | { readonly kind: 'event'; readonly key: string; readonly item: LogItem }
  | { readonly kind: 'activity'; readonly key: string; readonly item: ActivityItem };

export interface TicketPage {
  readonly state: TicketState;
  readonly acknowledgements: readonly AckRecord[];
  readonly deliveries: readonly DeliveryRecord[];
  /** Newest entries first cut to `limit`, returned oldest first. */
  readonly timeline: readonly TimelineItem[];
  /** Pass as `before` for the next (older) page; null when this page reaches the start. */
  readonly cursor: string | null;
  /** Other items the services keep on the ticket (SLA, follow-ups), by sort key. */
  readonly extras: Readonly<Record<string, Record<string, unknown>>>;
}

/** Acknowledgements and deliveries listed at most (newest first); the timeline has them all. */
export const LIST_LIMIT = 25;

/**
 * Bounded reads of a ticket for the read API: the projection, the newest acknowledgements and
 * deliveries, and one page of the timeline (logged events and Heed's activity, both keyed by
 * time), so a ticket with a long history never reads its whole partition nor outgrows a Lambda
 * response.
 */
export class DynamoTicketReader {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(
    tenantId: string,
    ticketId: string,
    options: { before?: string; limit: number; extras?: readonly string[] },
  ): Promise<TicketPage | null> {
    const pk = ticketPk(tenantId, ticketId);
    const [state, events, activities, acks, deliveries, ...extras] = await Promise.all([
      this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk, sk: STATE_SK } })),
      this.#newest(pk, EVENT_SK_PREFIX, options.before, options.limit + 1),
      this.#newest(pk, ACTIVITY_SK_PREFIX, options.before, options.limit + 1),
      this.#newest(pk, ACK_SK_PREFIX, undefined, LIST_LIMIT),
      this.#newest(pk, DELIVERY_SK_PREFIX, undefined, LIST_LIMIT),
      ...(options.extras ?? []).map((sk) =>
        this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk, sk } })),
      ),
    ]);
    if (!state.Item) return null;
    const merged: TimelineItem[] = [
      ...events.map((item) => ({
        kind: 'event' as const,
        key: keyOf(item.sk),
        item: item as unknown as LogItem,
      })),
      ...activities.map((item) => ({
        kind: 'activity' as const,
        key: keyOf(item.sk),
        item: item as unknown as ActivityItem,
      })),
    ].sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
    const page = merged.slice(0, options.limit);
    const more = merged.length > options.limit;
    return {
      state: (state.Item as { state: TicketState }).state,
      acknowledgements: acks as unknown as AckRecord[],
      deliveries: deliveries as unknown as DeliveryRecord[],
      timeline: page.reverse(),
      cursor: more ? (page[0]?.key ?? null) : null,
      extras: Object.fromEntries(
        (options.extras ?? []).flatMap((sk, i) => {
          const item = extras[i]?.Item;
          return item ? [[sk, item]] : [];
        }),
      ),
    };
  }

  /** The ticket's whole event log (what the SLA model folds), in key order; read eventually consistent like the page. */
  async log(tenantId: string, ticketId: string): Promise<LogItem[]> {
    return (await queryAll(this.documents, this.tableName, ticketPk(tenantId, ticketId), {
      prefix: EVENT_SK_PREFIX,
      eventual: true,
    })) as unknown as LogItem[];
  }

  /** The log from the instant `fromMs` on (an owner's checkpoint), read eventually consistent like the page. */
  async logFrom(tenantId: string, ticketId: string, fromMs: number): Promise<LogItem[]> {
    return logFrom(this.documents, this.tableName, ticketPk(tenantId, ticketId), fromMs, true);
  }

  /**
   * The newest items under `prefix`, strictly before the key `before` (in JavaScript's string
   * order, which is the order the timeline is merged in). DynamoDB compares UTF-8 bytes, so the
   * query is bounded by the key's instant only and the rest is filtered here.
   */
  async #newest(
    pk: string,
    prefix: string,
    before: string | undefined,
    limit: number,
  ): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const upper = before ? `${prefix}${before.slice(0, before.indexOf('#'))}$` : `${prefix.slice(0, -1)}$`;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
          ExpressionAttributeValues: { ':pk': pk, ':lo': prefix, ':hi': upper },
          ScanIndexForward: false,
          Limit: limit + 5,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        if (before === undefined || keyOf(String(item.sk)) < before) out.push(item);
      }
      start = page.LastEvaluatedKey;
    } while (start && out.length < limit);
    return out.slice(0, limit);
  }
}

const keyOf = (sk: unknown): string => String(sk).slice(2);
