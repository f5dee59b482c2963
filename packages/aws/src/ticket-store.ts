import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Actor, type DomainEvent, type InboundEvent, parseJson, stringifyJson } from '@heed/contracts';
import {
  applyEvent,
  domainEventsFor,
  emptyTicket,
  isInOrder,
  type LoggedEvent,
  orderKey,
  replay,
  type TicketState,
  ticketReference,
} from '@heed/core';
import { erasedAt, redactedEvent } from './customer-erase';
import {
  DEDUPE_SK,
  dedupePk,
  EVENT_SK_PREFIX,
  OUTBOX_ATTRIBUTE,
  openedKeys,
  SNAPSHOT_SK_PREFIX,
  STATE_SK,
  ticketPk,
  windowKeys,
} from './table-schema';

/** An event to append to a ticket's log. */
export interface EventToRecord {
  readonly event: InboundEvent;
  /** The event's JSON as it arrived, unknown fields verbatim. @default the typed event */
  readonly raw?: string;
  /** @default 'producer' */
  readonly actor?: Actor;
  /**
   * Only if the ticket is not opened yet (Heed opening a linked ticket): otherwise nothing is
   * written and the outcome is `conflict`, so an opening never lands on someone else's ticket.
   */
  readonly createOnly?: boolean;
}

export type RecordOutcome =
  | { readonly status: 'accepted'; readonly ticket: TicketState; readonly emitted: readonly DomainEvent[] }
  | { readonly status: 'duplicate'; readonly ticketId: string }
  /** The id was recorded before with another body (or on another ticket): not the same event. */
  | { readonly status: 'conflict'; readonly ticketId: string };

export interface TicketStorePort {
  record(tenantId: string, input: EventToRecord, receivedAt: Date): Promise<RecordOutcome>;
  /** Events of one ticket that arrived together; one outcome (or error) per input, in order. */
  recordAll(
    tenantId: string,
    inputs: readonly EventToRecord[],
    receivedAt: Date,
  ): Promise<PromiseSettledResult<RecordOutcome>[]>;
  get(tenantId: string, ticketId: string): Promise<TicketState | null>;
}

/** Concurrent writers kept beating this one; the caller should answer 503 and the producer retry. */
export class TicketContentionError extends Error {
  override readonly name = 'TicketContentionError';
}

/** Log items as the folds take them: the event and who sent it. */
export const loggedEventsOf = (items: readonly Pick<LogItem, 'event' | 'actor'>[]): LoggedEvent[] =>
  items.map((l) => ({ event: l.event, actor: l.actor ?? 'producer' }));

/** A batch's chunk lost the race for the projection's version; recordAll reads it again. */
class BatchContention extends Error {
  override readonly name = 'BatchContention';
  constructor(readonly ticketId: string) {
    super(`ticket ${ticketId} moved while a batch was written`);
  }
}

/** One item of a ticket's log, as stored. */
export interface LogItem {
  readonly sk: string;
  readonly event: InboundEvent;
  /** The event as it arrived (JSON text), unknown fields verbatim. */
  readonly raw: string;
  readonly actor: Actor;
  readonly receivedAt: string;
  /** Set when it arrived after events that happened later. */
  readonly late?: boolean;
  readonly [OUTBOX_ATTRIBUTE]?: readonly DomainEvent[];
}

interface StateItem {
  readonly state: TicketState;
  readonly version: number;
  /** Snapshots of another epoch are ignored (see #snapshotWrites). */
  readonly snapshotEpoch?: number;
}

interface SnapshotItem {
  readonly sk: string;
  readonly state: TicketState;
  readonly epoch: number;
}

/** A snapshot is written after every this many in-order events. */
export const SNAPSHOT_EVERY = 25;
/** Snapshots a late event may rewrite in its transaction (of at most 100 items). */
const MAX_SNAPSHOT_REWRITES = 90;
const MAX_ATTEMPTS = 8;
/**
 * Events of one batch written per transaction: 2 items each, the projection and a snapshot per
 * SNAPSHOT_EVERY stay under TransactWriteItems' 100 items; the request body's 256 KB cap keeps
 * the whole batch far under its 4 MB.
 */
const BATCH_CHUNK = 45;
const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));

/** The identity of an event's content: same id with another fingerprint is a conflict. */
export const fingerprintOf = (raw: string): string => {
  const parsed = parseJson(raw);
  const canonical = parsed.ok ? stringifyJson(parsed.value, { sortKeys: true }) : raw;
  return createHash('sha256').update(canonical).digest('base64url');
};

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/**
 * DynamoDB store of tickets. One transaction per accepted event writes the dedupe marker (with
 * the event's fingerprint), the log item (which carries the domain events to publish: the outbox,
 * relayed by the table's stream) and the projection, guarded by the projection's version. A
 * repeated id fails the marker; a concurrent writer fails the version check and we re-read and
 * retry. So nothing is ever half-written and nothing applies twice.
 *
 * A late event (one that sorts before events already folded) re-folds from the nearest valid
 * snapshot before it, so its domain events are computed from the state just before it in
 * occurredAt order; facts it changes later in history (a reopen that now happened) are emitted
 * once, marked late, and nothing already emitted is retracted.
 */
export class DynamoTicketStore implements TicketStorePort {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(tenantId: string, input: EventToRecord, receivedAt: Date): Promise<RecordOutcome> {
    const actor = input.actor ?? 'producer';
    // The fingerprint is the event as sent: a retry of it is a duplicate, also once redacted.
    const fingerprint = fingerprintOf(input.raw ?? stringifyJson(input.event));
    const pk = ticketPk(tenantId, input.event.ticketId);
    const emittedAt = receivedAt.toISOString();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.#readState(pk);
      const before =
        current?.state ??
        emptyTicket(tenantId, input.event.ticketId, ticketReference(tenantId, input.event.ticketId));
      // A customer erased: what arrives for them is stored without their personal data.
      const erased = await this.#erasure(tenantId, before, input.event);
      const { event, raw } = erased
        ? redactedEvent(input.event)
        : { event: input.event, raw: input.raw ?? stringifyJson(input.event) };
      if (input.createOnly && before.opened) {
        const seen = await this.#marker(tenantId, event.id);
        return seen
          ? this.#repeat(seen, event.ticketId, fingerprint)
          : { status: 'conflict', ticketId: event.ticketId };
      }
      const inOrder = isInOrder(before, event);
      // A late event needs a re-fold; a replayed one (the common late case) is answered from its
      // dedupe marker first, so duplicates never pay for the Query.
      if (!inOrder) {
        const seen = await this.#marker(tenantId, event.id);
        if (seen) return this.#repeat(seen, event.ticketId, fingerprint);
      }
      const epoch = current?.snapshotEpoch ?? 0;
      const planned = inOrder
        ? this.#appendPlan(pk, before, { event, actor }, emittedAt, epoch)
        : await this.#latePlan(pk, before, { event, actor }, emittedAt, epoch);
      const plan = erased ? { ...planned, state: { ...planned.state, erasedAt: erased } } : planned;
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: [
              ...this.#eventPuts(
                tenantId,
                { event, raw, actor, fingerprint },
                plan.emits,
                emittedAt,
                !inOrder,
              ),
              this.#statePut(pk, plan.state, current, plan.epoch),
              ...plan.snapshots,
            ],
          }),
        );
        return { status: 'accepted', ticket: plan.state, emitted: plan.emits };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [marker, log] = error.CancellationReasons ?? [];
        if (marker?.Code === 'ConditionalCheckFailed' || log?.Code === 'ConditionalCheckFailed') {
          const seen = await this.#marker(tenantId, event.id);
          if (seen) return this.#repeat(seen, event.ticketId, fingerprint);
          // The same (occurredAt, id) under another marker cannot happen: ids are unique per tenant.
          return { status: 'conflict', ticketId: event.ticketId };
        }
        await backoff(attempt); // version moved or transaction conflict: re-read and try again
      }
    }
    throw new TicketContentionError(`ticket ${input.event.ticketId} is being updated concurrently; retry`);
  }

  /** When the ticket's customer was erased (the ticket says so, or a new ticket opens for them). */
  async #erasure(tenantId: string, before: TicketState, event: InboundEvent): Promise<string | null> {
    if (before.erasedAt) return before.erasedAt;
    if (event.type !== 'ticket.opened' || before.opened) return null;
    return erasedAt(this.documents, this.tableName, tenantId, event.data.customer.id);
  }

  /**
   * Records events of one ticket that arrived together (a producer's batch), with the same
   * outcome per event as `record` one by one, in far fewer writes: they arrived at the same
   * instant, so they are appended in occurredAt order (none of them is late with respect to
   * another), up to BATCH_CHUNK events per transaction under one version check. Events that sort
   * before what the ticket already holds, openings that must not overwrite (`createOnly`) and an
   * id repeated inside the batch go through `record` one at a time; so does a whole chunk when
   * one of its events turns out to be recorded already (a producer retrying its batch).
   */
  async recordAll(
    tenantId: string,
    inputs: readonly EventToRecord[],
    receivedAt: Date,
  ): Promise<PromiseSettledResult<RecordOutcome>[]> {
    if (inputs.length === 1)
      return Promise.allSettled([this.record(tenantId, inputs[0] as EventToRecord, receivedAt)]);
    const results: PromiseSettledResult<RecordOutcome>[] = new Array(inputs.length);
    const one = async (i: number): Promise<void> => {
      const input = inputs[i] as EventToRecord;
      results[i] = await this.record(tenantId, input, receivedAt).then(
        (value) => ({ status: 'fulfilled', value }),
        (reason: unknown) => ({ status: 'rejected', reason }),
      );
    };
    const ids = new Set<string>();
    const alone: number[] = [];
    const together: number[] = [];
    inputs.forEach((input, i) => {
      if (input.createOnly || ids.has(input.event.id)) alone.push(i);
      else together.push(i);
      ids.add(input.event.id);
    });
    const ticketIds = new Set(inputs.map((input) => input.event.ticketId));
    if (ticketIds.size > 1) throw new Error('recordAll takes the events of one ticket');
    const keyOf = (i: number) => orderKey((inputs[i] as EventToRecord).event);
    together.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : a - b));
    const emittedAt = receivedAt.toISOString();
    let pending = together;
    let attempt = 0;
    while (pending.length > 0) {
      try {
        pending = await this.#recordChunk(tenantId, inputs, pending, emittedAt, results, one);
        attempt = 0;
      } catch (error) {
        // Contention, or Heed could not write: these events are not recorded (nothing of a chunk
        // is half-written), and the producer's retry records them.
        if (!(error instanceof BatchContention) || ++attempt >= MAX_ATTEMPTS) {
          const reason =
            error instanceof BatchContention
              ? new TicketContentionError(`ticket ${error.ticketId} is being updated concurrently; retry`)
              : error;
          for (const i of pending) results[i] = { status: 'rejected', reason };
          pending = [];
        } else {
          await backoff(attempt);
        }
      }
    }
    for (const i of alone) await one(i);
    return results;
  }

  async get(tenantId: string, ticketId: string): Promise<TicketState | null> {
    return (await this.#readState(ticketPk(tenantId, ticketId)))?.state ?? null;
  }

  /** The whole log of a ticket in occurredAt order (for the services' models). */
  async log(tenantId: string, ticketId: string): Promise<LogItem[]> {
    return (await this.#query(ticketPk(tenantId, ticketId), {
      prefix: EVENT_SK_PREFIX,
    })) as unknown as LogItem[];
  }

  /**
   * The log's events from the instant `fromMs` on (that millisecond's events included), in
   * occurredAt order: what an owner resuming from a checkpoint reads.
   */
  async logFrom(tenantId: string, ticketId: string, fromMs: number): Promise<LogItem[]> {
    return logFrom(this.documents, this.tableName, ticketPk(tenantId, ticketId), fromMs, false);
  }

  /**
   * One step of recordAll: events that sort before the ticket's last go through `record`; else
   * the first BATCH_CHUNK pending events are written in one transaction. Returns what is left.
   */
  async #recordChunk(
    tenantId: string,
    inputs: readonly EventToRecord[],
    pending: readonly number[],
    emittedAt: string,
    results: PromiseSettledResult<RecordOutcome>[],
    one: (i: number) => Promise<void>,
  ): Promise<number[]> {
    const keyOf = (i: number) => orderKey((inputs[i] as EventToRecord).event);
    const first = inputs[pending[0] as number] as EventToRecord;
    const pk = ticketPk(tenantId, first.event.ticketId);
    const current = await this.#readState(pk);
    let state =
      current?.state ??
      emptyTicket(tenantId, first.event.ticketId, ticketReference(tenantId, first.event.ticketId));
    const late = pending.filter((i) => keyOf(i) <= state.lastKey);
    // An erased customer's events go one by one: `record` stores them redacted.
    const opening = pending
      .map((i) => (inputs[i] as EventToRecord).event)
      .find((e) => e.type === 'ticket.opened');
    if (state.erasedAt || (opening && (await this.#erasure(tenantId, state, opening)))) {
      for (const i of pending.slice(0, BATCH_CHUNK)) await one(i);
      return pending.slice(BATCH_CHUNK);
    }
    if (late.length > 0) {
      for (const i of late) await one(i);
      return pending.filter((i) => keyOf(i) > state.lastKey);
    }
    const chunk = pending.slice(0, BATCH_CHUNK);
    const epoch = current?.snapshotEpoch ?? 0;
    const puts: TransactItem[] = [];
    const snapshots: TransactItem[] = [];
    const accepted: RecordOutcome[] = [];
    for (const i of chunk) {
      const input = inputs[i] as EventToRecord;
      const actor = input.actor ?? 'producer';
      const raw = input.raw ?? stringifyJson(input.event);
      const plan = this.#appendPlan(pk, state, { event: input.event, actor }, emittedAt, epoch);
      const entry = { event: input.event, raw, actor, fingerprint: fingerprintOf(raw) };
      puts.push(...this.#eventPuts(tenantId, entry, plan.emits, emittedAt, false));
      snapshots.push(...plan.snapshots);
      accepted.push({ status: 'accepted', ticket: plan.state, emitted: plan.emits });
      state = plan.state;
    }
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [...puts, this.#statePut(pk, state, current, epoch), ...snapshots],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (!reasons.slice(0, puts.length).some((r) => r?.Code === 'ConditionalCheckFailed'))
        throw new BatchContention(first.event.ticketId); // version moved: read again
      // Some were recorded before (a producer retrying its batch): each is answered on its own.
      for (const i of chunk) await one(i);
      return pending.slice(chunk.length);
    }
    chunk.forEach((i, n) => {
      results[i] = { status: 'fulfilled', value: accepted[n] as RecordOutcome };
    });
    return pending.slice(chunk.length);
  }

  /** The dedupe marker and the log item of an accepted event (the log item carries its outbox). */
  #eventPuts(
    tenantId: string,
    entry: { event: InboundEvent; raw: string; actor: Actor; fingerprint: string },
    emits: readonly DomainEvent[],
    emittedAt: string,
    late: boolean,
  ): TransactItem[] {
    const { event } = entry;
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            pk: dedupePk(tenantId, event.id),
            sk: DEDUPE_SK,
            kind: 'dedupe',
            ticketId: event.ticketId,
            fingerprint: entry.fingerprint,
            receivedAt: emittedAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            pk: ticketPk(tenantId, event.ticketId),
            sk: `${EVENT_SK_PREFIX}${orderKey(event)}`,
            kind: 'event',
            event,
            raw: entry.raw,
            actor: entry.actor,
            receivedAt: emittedAt,
            ...(late && { late: true }),
            ...(emits.length > 0 && {
              [OUTBOX_ATTRIBUTE]: emits,
              ...windowKeys(tenantId, event.ticketId, emittedAt),
            }),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  /** The projection, guarded by the version it was computed from. */
  #statePut(pk: string, state: TicketState, current: StateItem | null, epoch: number): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          pk,
          sk: STATE_SK,
          kind: 'ticket',
          state,
          ...(state.openedAt && openedKeys(state.tenantId, state.ticketId, state.openedAt)),
          version: (current?.version ?? 0) + 1,
          snapshotEpoch: epoch,
        },
        ...(current
          ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': current.version } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    };
  }

  #repeat(
    seen: { ticketId: string; fingerprint?: string },
    ticketId: string,
    fingerprint: string,
  ): RecordOutcome {
    return seen.ticketId === ticketId && (seen.fingerprint === undefined || seen.fingerprint === fingerprint)
      ? { status: 'duplicate', ticketId }
      : { status: 'conflict', ticketId: seen.ticketId };
  }

  #appendPlan(pk: string, before: TicketState, entry: LoggedEvent, emittedAt: string, epoch: number) {
    const state = applyEvent(before, entry.event);
    const emits = domainEventsFor(entry.event, before, state, { emittedAt, actor: entry.actor, late: false });
    const snapshots: TransactItem[] =
      state.eventCount % SNAPSHOT_EVERY === 0
        ? [this.#snapshotPut(pk, { sk: `${SNAPSHOT_SK_PREFIX}${state.lastKey}`, state, epoch })]
        : [];
    return { state, emits, snapshots, epoch };
  }

  /**
   * Re-folds from the newest valid snapshot before the late event: its own domain events come
   * from the state just before it; later events may now derive new facts (a reply that now
   * reopens a solved ticket), which are emitted once, late, with their real cause.
   */
  async #latePlan(pk: string, current: TicketState, entry: LoggedEvent, emittedAt: string, epoch: number) {
    const key = orderKey(entry.event);
    const base = await this.#snapshotBefore(pk, key, epoch);
    const start = base?.state ?? emptyTicket(current.tenantId, current.ticketId, current.reference);
    // Keys are compared in JavaScript (UTF-16), DynamoDB sorts UTF-8: bound queries by the
    // timestamp part only and filter the rest here, so both agree on what comes after what.
    const later = (
      (await this.#query(pk, {
        prefix: EVENT_SK_PREFIX,
        from: base ? `${EVENT_SK_PREFIX}${instantOf(base.state.lastKey)}` : undefined,
      })) as unknown as LogItem[]
    ).filter((l) => !base || orderKey(l.event) > base.state.lastKey);
    const { state, steps } = replay(start, [...loggedEventsOf(later), entry]);
    const emittedBefore = new Set(
      later.flatMap((l) => (l[OUTBOX_ATTRIBUTE] ?? []).map((e) => e.detail.eventId)),
    );
    const emits: DomainEvent[] = [];
    for (const step of steps) {
      if (orderKey(step.entry.event) < key) continue; // history before it is unchanged
      const own = step.entry.event.id === entry.event.id;
      for (const e of domainEventsFor(step.entry.event, step.before, step.after, {
        emittedAt,
        actor: step.entry.actor,
        late: true,
      })) {
        if (own || !emittedBefore.has(e.detail.eventId)) emits.push(e);
      }
    }
    return { state, emits, ...(await this.#snapshotWrites(pk, key, steps, epoch)) };
  }

  /**
   * Snapshots after the late key no longer include it: rewrite each from the re-fold. When there
   * are too many for one transaction, start a new epoch instead (all old snapshots are ignored).
   */
  async #snapshotWrites(
    pk: string,
    key: string,
    steps: ReturnType<typeof replay>['steps'],
    epoch: number,
  ): Promise<{ snapshots: TransactItem[]; epoch: number }> {
    const stale = (
      (await this.#query(pk, {
        prefix: SNAPSHOT_SK_PREFIX,
        from: `${SNAPSHOT_SK_PREFIX}${instantOf(key)}`,
        keysOnly: true,
      })) as { sk: string }[]
    ).filter(({ sk }) => sk.slice(SNAPSHOT_SK_PREFIX.length) > key);
    if (stale.length > MAX_SNAPSHOT_REWRITES) return { snapshots: [], epoch: epoch + 1 };
    const snapshots = stale.map(({ sk }) => {
      const at = sk.slice(SNAPSHOT_SK_PREFIX.length);
      const step = [...steps].reverse().find((s) => orderKey(s.entry.event) <= at);
      return this.#snapshotPut(pk, { sk, state: step?.after as TicketState, epoch });
    });
    return { snapshots, epoch };
  }

  #snapshotPut(pk: string, snapshot: SnapshotItem): TransactItem {
    return { Put: { TableName: this.tableName, Item: { pk, kind: 'snapshot', ...snapshot } } };
  }

  async #snapshotBefore(pk: string, key: string, epoch: number): Promise<SnapshotItem | null> {
    const out = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        // Snapshots strictly before the late event's millisecond (sk S#<iso>#<id> sorts after S#<iso>).
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: {
          ':pk': pk,
          ':lo': SNAPSHOT_SK_PREFIX,
          ':hi': `${SNAPSHOT_SK_PREFIX}${instantOf(key)}`,
        },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: 1,
      }),
    );
    const found = (out.Items?.[0] as SnapshotItem | undefined) ?? null;
    return found?.epoch === epoch ? found : null;
  }

  async #readState(pk: string): Promise<StateItem | null> {
    const out = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk, sk: STATE_SK }, ConsistentRead: true }),
    );
    return (out.Item as StateItem | undefined) ?? null;
  }

  /** The marker of an already-recorded event id, or null when the id is new. */
  async #marker(
    tenantId: string,
    eventId: string,
  ): Promise<{ ticketId: string; fingerprint?: string } | null> {
    const out = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: dedupePk(tenantId, eventId), sk: DEDUPE_SK },
        ConsistentRead: true,
      }),
    );
    return (out.Item as { ticketId: string; fingerprint?: string } | undefined) ?? null;
  }

  #query(
    pk: string,
    options: { prefix: string; from?: string | undefined; keysOnly?: boolean },
  ): Promise<Record<string, unknown>[]> {
    return queryAll(this.documents, this.tableName, pk, options);
  }
}

/** The instant part of an order key (`<ISO instant>#<id>`). */
const instantOf = (key: string): string => key.slice(0, key.indexOf('#'));

/** A ticket's log from the instant `fromMs` on (that millisecond included), in occurredAt order. */
export const logFrom = async (
  documents: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  fromMs: number,
  eventual: boolean,
): Promise<LogItem[]> => {
  const items = (await queryAll(documents, tableName, pk, {
    prefix: EVENT_SK_PREFIX,
    from: `${EVENT_SK_PREFIX}${new Date(fromMs).toISOString().slice(0, 23)}`,
    eventual,
  })) as unknown as LogItem[];
  return items.filter((l) => Date.parse(l.event.occurredAt) >= fromMs);
};

/** Every item of a partition under a prefix (or from `from` to its end), all pages. */
export const queryAll = async (
  documents: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  options: { prefix: string; from?: string | undefined; keysOnly?: boolean; eventual?: boolean },
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        // Everything under the prefix, or from `from` to the end of the prefix ('#' + 1 = '$').
        KeyConditionExpression: options.from
          ? 'pk = :pk AND sk BETWEEN :lo AND :hi'
          : 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: {
          ':pk': pk,
          ...(options.from
            ? { ':lo': options.from, ':hi': `${options.prefix.slice(0, -1)}$` }
            : { ':p': options.prefix }),
        },
        ...(options.keysOnly && { ProjectionExpression: 'sk' }),
        ConsistentRead: !options.eventual,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};
