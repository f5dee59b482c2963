import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TimerFiring, TimerOwner } from '@heed/contracts';
import type { Resumable } from '@heed/core';
import {
  checkpointSk,
  INDEX,
  SWEEPER_KEY,
  settledPrefix,
  settledSk,
  TIMER_BUCKET_MINUTES,
  ticketPk,
  timerBucket,
  timerKeys,
  timerPartitions,
  timerSk,
} from './table-schema';
import { queryAll } from './ticket-store';
import { isScheduled } from './timer-policy';

/** Characters of settled JSON per item: at most 3 bytes each in UTF-8, so under 400 KB. */
const SETTLED_PART_CHARS = 100_000;

/** `text` in pieces of at most `size` characters, never splitting a surrogate pair. */
const piecesOf = (text: string, size: number): string[] => {
  const pieces: string[] = [];
  for (let i = 0; i < text.length || pieces.length === 0; ) {
    let end = Math.min(text.length, i + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    pieces.push(text.slice(i, end));
    i = end;
  }
  return pieces;
};

/**
 * The timer item of an owner service on a ticket, which also holds the owner's state (what it
 * has announced, what the read API shows). DynamoDB holds the truth: `generation` grows with every
 * write, and a firing takes effect only while the item still has the generation that armed it.
 */
export interface TimerItem<S> {
  readonly owner: TimerOwner;
  readonly tenantId: string;
  readonly ticketId: string;
  readonly generation: number;
  /**
   * pending: armed for `dueAt`; idle: nothing to wake up for; failed: its firing failed every
   * retry and is in the owner's DLQ (the sweeper leaves it; a redrive of that firing still counts).
   */
  readonly status: 'pending' | 'idle' | 'failed';
  readonly reason?: string;
  readonly dueAt: string | null;
  /** Armed as an EventBridge schedule (due more than 15 minutes after it was set), not a delayed message. */
  readonly scheduled?: boolean;
  readonly state: S;
  readonly updatedAt: string;
}

/** Someone else wrote the timer since it was read: read again and redo the work. */
export class TimerConflictError extends Error {
  override readonly name = 'TimerConflictError';
}

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/**
 * The stored timer item: state, timer and (while pending) the sweeper's index keys under the
 * bucket of its due time, or of `now` if that is later, so it always lands in a bucket the
 * sweeper has yet to read.
 */
export const timerItem = <S>(args: {
  owner: TimerOwner;
  tenantId: string;
  ticketId: string;
  generation: number;
  dueAt: Date | null;
  state: S;
  now: Date;
}): TimerItem<S> & Record<string, unknown> => ({
  pk: ticketPk(args.tenantId, args.ticketId),
  sk: timerSk(args.owner),
  kind: 'timer',
  owner: args.owner,
  tenantId: args.tenantId,
  ticketId: args.ticketId,
  generation: args.generation,
  status: args.dueAt ? 'pending' : 'idle',
  dueAt: args.dueAt?.toISOString() ?? null,
  scheduled: args.dueAt ? isScheduled(args.dueAt.getTime(), args.now.getTime()) : false,
  state: args.state,
  updatedAt: args.now.toISOString(),
  ...(args.dueAt &&
    timerKeys(
      args.owner,
      args.tenantId,
      args.ticketId,
      args.dueAt.getTime(),
      Math.max(args.dueAt.getTime(), args.now.getTime()),
    )),
});

export class DynamoTimerStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** An owner's stored fold checkpoint (see `ResumeState`), or null. */
  async checkpoint<C>(owner: TimerOwner, tenantId: string, ticketId: string): Promise<C | null> {
    const out = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: ticketPk(tenantId, ticketId), sk: checkpointSk(owner) },
        ConsistentRead: true,
      }),
    );
    return ((out.Item as { body?: C } | undefined)?.body as C | undefined) ?? null;
  }

  /** The write of an owner's fold checkpoint, for the commit that stands for it. */
  checkpointPut(owner: TimerOwner, tenantId: string, ticketId: string, body: unknown): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { pk: ticketPk(tenantId, ticketId), sk: checkpointSk(owner), kind: 'checkpoint', body },
      },
    };
  }

  /**
   * The writes of what a checkpoint leaves out of its owner's model (`settled`, JSON), beside
   * it and in the same commit; in parts, so no item nears DynamoDB's 400 KB.
   */
  settledPuts(
    owner: TimerOwner,
    tenantId: string,
    ticketId: string,
    checkpoint: Resumable,
    settled: unknown,
  ): TransactItem[] {
    return piecesOf(JSON.stringify(settled), SETTLED_PART_CHARS).map((body, part) => ({
      Put: {
        TableName: this.tableName,
        Item: {
          pk: ticketPk(tenantId, ticketId),
          sk: settledSk(owner, checkpoint.at, checkpoint.folded, part),
          kind: 'settled',
          body,
        },
      },
    }));
  }

  /**
   * What the checkpoints of one chain left out, oldest first: those from `from` (where the chain
   * began with a fold of the whole log) up to `to` (the newest), both included; null when `to`'s
   * own item is not there (yet, to an eventually consistent read), so the caller folds the log.
   */
  async settled<S>(
    owner: TimerOwner,
    tenantId: string,
    ticketId: string,
    chain: { from: Resumable; to: Resumable },
    options: { eventual?: boolean } = {},
  ): Promise<S[] | null> {
    const items = (await queryAll(this.documents, this.tableName, ticketPk(tenantId, ticketId), {
      prefix: settledPrefix(owner),
      from: settledSk(owner, chain.from.at, chain.from.folded, 0),
      ...(options.eventual && { eventual: true }),
    })) as { sk: string; body: string }[];
    const newest = settledSk(owner, chain.to.at, chain.to.folded, 0);
    const bodies = new Map<string, string>();
    for (const { sk, body } of items) {
      const checkpoint = sk.slice(0, sk.lastIndexOf('#'));
      if (checkpoint > newest.slice(0, newest.lastIndexOf('#'))) continue;
      bodies.set(checkpoint, (bodies.get(checkpoint) ?? '') + body);
    }
    if (!bodies.has(newest.slice(0, newest.lastIndexOf('#')))) return null;
    try {
      return [...bodies.values()].map((json) => JSON.parse(json) as S);
    } catch {
      return null; // a part not read yet
    }
  }

  async get<S>(owner: TimerOwner, tenantId: string, ticketId: string): Promise<TimerItem<S> | null> {
    const out = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: ticketPk(tenantId, ticketId), sk: timerSk(owner) },
        ConsistentRead: true,
      }),
    );
    return (out.Item as TimerItem<S> | undefined) ?? null;
  }

  /**
   * Writes the owner's new state and timer (`timerItem`) together with `items` (its outbox and
   * deliveries), in one transaction guarded by the generation it read (`null`: it had none).
   * Returns the new generation.
   */
  async commit<S>(args: {
    owner: TimerOwner;
    tenantId: string;
    ticketId: string;
    expected: number | null;
    dueAt: Date | null;
    state: S;
    now: Date;
    items?: readonly TransactItem[];
  }): Promise<number> {
    const generation = (args.expected ?? 0) + 1;
    const put = {
      TableName: this.tableName,
      Item: timerItem({ ...args, generation }),
      ...(args.expected === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'generation = :g', ExpressionAttributeValues: { ':g': args.expected } }),
    };
    const conflict = () =>
      new TimerConflictError(`the ${args.owner} timer of ${args.ticketId} moved; read it again`);
    // Alone, the timer is one conditional put (a transaction would cost twice the writes).
    if (!args.items?.length) {
      try {
        await this.documents.send(new PutCommand(put));
        return generation;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') throw conflict();
        throw error;
      }
    }
    try {
      await this.documents.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, ...args.items] }));
      return generation;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code !== 'None')
        throw conflict();
      throw error;
    }
  }

  /**
   * Marks the timer of `generation` failed (its firing went to the DLQ) and takes it out of the
   * sweeper's index, so a ticket the owner cannot handle is not re-driven every few minutes.
   * A newer generation (the ticket moved on meanwhile) is left alone.
   */
  async markFailed(args: {
    owner: TimerOwner;
    tenantId: string;
    ticketId: string;
    generation: number;
    reason: string;
    now: Date;
  }): Promise<void> {
    await this.documents
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: ticketPk(args.tenantId, args.ticketId), sk: timerSk(args.owner) },
          UpdateExpression: 'SET #s = :failed, reason = :r, updatedAt = :now REMOVE gpk, gsk',
          ConditionExpression: 'generation = :g',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':r': args.reason,
            ':now': args.now.toISOString(),
            ':g': args.generation,
          },
        }),
      )
      .catch((error: Error) => {
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
  }

  /**
   * Pending timers due at or before `cutoff` in one due bucket, across its shards: what the
   * sweeper re-drives. A few Queries of a sparse index, never a Scan.
   */
  async overdue(bucket: string, cutoff: Date): Promise<TimerFiring[]> {
    const shards = await Promise.all(timerPartitions(bucket).map((gpk) => this.#overdueIn(gpk, cutoff)));
    return shards.flat();
  }

  async #overdueIn(gpk: string, cutoff: Date): Promise<TimerFiring[]> {
    const out: TimerFiring[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEX.name,
          KeyConditionExpression: 'gpk = :p AND gsk <= :c',
          ExpressionAttributeValues: { ':p': gpk, ':c': `${cutoff.toISOString()}#~` },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of page.Items ?? []) {
        out.push({
          kind: 'timer',
          owner: i.owner,
          tenantId: i.tenantId,
          ticketId: i.ticketId,
          generation: i.generation,
          dueAt: i.dueAt,
        } as TimerFiring);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /**
   * How many of `owner`'s pending timers fall due in (from, to]: for the SLA owner, the tickets
   * whose next warning, breach or escalation step is that close. Counted on the same sparse
   * index (one Query per bucket shard), never a Scan.
   */
  async dueBetween(owner: TimerOwner, from: Date, to: Date): Promise<number> {
    const buckets: string[] = [];
    const step = TIMER_BUCKET_MINUTES * 60_000;
    for (let ms = Math.floor(from.getTime() / step) * step; ms <= to.getTime(); ms += step)
      buckets.push(timerBucket(ms));
    const counts = await Promise.all(
      buckets.flatMap(timerPartitions).map(async (gpk) => {
        let count = 0;
        let start: Record<string, unknown> | undefined;
        do {
          const page = await this.documents.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: INDEX.name,
              KeyConditionExpression: 'gpk = :p AND gsk BETWEEN :from AND :to',
              FilterExpression: '#o = :o',
              ExpressionAttributeNames: { '#o': 'owner' },
              ExpressionAttributeValues: {
                ':p': gpk,
                ':from': `${from.toISOString()}#~`,
                ':to': `${to.toISOString()}#~`,
                ':o': owner,
              },
              Select: 'COUNT',
              ExclusiveStartKey: start,
            }),
          );
          count += page.Count ?? 0;
          start = page.LastEvaluatedKey;
        } while (start);
        return count;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** The last due bucket the sweeper has read completely (null before its first run). */
  async watermark(): Promise<string | null> {
    const out = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { ...SWEEPER_KEY }, ConsistentRead: true }),
    );
    return (out.Item?.bucket as string | undefined) ?? null;
  }

  async setWatermark(bucket: string, now: Date): Promise<void> {
    await this.documents
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { ...SWEEPER_KEY },
          UpdateExpression: 'SET #b = :b, sweptAt = :now',
          // Never backwards (two sweeps overlapping). `bucket` is a reserved word.
          ConditionExpression: 'attribute_not_exists(#b) OR #b < :b',
          ExpressionAttributeNames: { '#b': 'bucket' },
          ExpressionAttributeValues: { ':b': bucket, ':now': now.toISOString() },
        }),
      )
      .catch((error: Error) => {
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
  }
}
