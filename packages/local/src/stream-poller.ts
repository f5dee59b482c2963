import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { logger } from '@heed/aws';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type EventPattern, matchesPattern } from './event-pattern';
import { type Invocable, lambdaContext } from './lambda-context';

type LambdaImage = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;

/**
 * The Streams SDK client turns an empty map attribute (`{"M":{}}`) into `{}` when it parses
 * DynamoDB Local's answer; Lambda would hand the handler the wire JSON. Restore it, so handlers
 * see what they will see in AWS (Heed writes empty maps, never empty lists).
 */
const repairEmptyMaps = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(repairEmptyMaps);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 0) return { M: {} };
  return Object.fromEntries(
    entries.map(([k, v]) => [
      k,
      k === 'M'
        ? Object.fromEntries(Object.entries(v as object).map(([mk, mv]) => [mk, repairEmptyMaps(mv)]))
        : repairEmptyMaps(v),
    ]),
  );
};
const repairImage = (image: Record<string, unknown>): LambdaImage =>
  Object.fromEntries(Object.entries(image).map(([k, v]) => [k, repairEmptyMaps(v)])) as LambdaImage;

const toLambdaRecord = (record: _Record, streamArn: string): DynamoDBRecord => ({
  eventID: record.eventID ?? '',
  eventName: record.eventName as DynamoDBRecord['eventName'],
  eventVersion: record.eventVersion ?? '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: record.awsRegion ?? 'us-east-1',
  eventSourceARN: streamArn,
  dynamodb: {
    ...(record.dynamodb?.Keys && { Keys: repairImage(record.dynamodb.Keys) }),
    ...(record.dynamodb?.NewImage && { NewImage: repairImage(record.dynamodb.NewImage) }),
    SequenceNumber: record.dynamodb?.SequenceNumber ?? '',
    SizeBytes: record.dynamodb?.SizeBytes ?? 0,
    StreamViewType: record.dynamodb?.StreamViewType as 'NEW_IMAGE',
    ApproximateCreationDateTime: Math.floor(
      (record.dynamodb?.ApproximateCreationDateTime?.getTime() ?? Date.now()) / 1000,
    ),
  },
});

/** Sleeps that end at once when the poller stops (Ctrl-C must not wait for a backoff). */
export const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });

/**
 * A DynamoDB-stream event source mapping, locally, with the settings of the CDK mapping: the
 * same filter; a reported failure is retried from that record on, a thrown error bisects the
 * batch (so one bad record cannot hold up the others), and a record is retried until it is
 * older than the stream's retention (`maxRecordAgeMs`, 24 h); then it goes to `failures`, the
 * stand-in for the S3 on-failure destination.
 */
export class StreamPoller {
  #running = false;
  #loop: Promise<void> | undefined;
  #pending = 0;
  #cycles = 0;
  #idleCycles = 0;
  readonly #stop = new AbortController();
  readonly failures: DynamoDBRecord[] = [];

  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly streams: DynamoDBStreamsClient,
    private readonly tableName: string,
    private readonly filter: EventPattern,
    private readonly handler: Invocable<DynamoDBStreamEvent, DynamoDBBatchResponse | undefined>,
    private readonly options: { idleMs?: number; maxRecordAgeMs?: number } = {},
  ) {}

  async start(): Promise<void> {
    const table = await this.dynamodb.send(new DescribeTableCommand({ TableName: this.tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${this.tableName} has no stream`);
    this.#running = true;
    this.#loop = this.#run(streamArn);
  }

  /** True while records are read but not yet handled. */
  get busy(): boolean {
    return this.#pending > 0;
  }

  /**
   * Resolves after a whole poll of every shard that started after this call found nothing new
   * and had nothing in hand: everything written before the call has been handled.
   */
  async drained(signal?: AbortSignal): Promise<void> {
    const started = this.#cycles;
    while (!(signal?.aborted ?? false) && this.#running) {
      if (this.#idleCycles > started + 1 && this.#pending === 0) return;
      await pause(10, signal ?? this.#stop.signal);
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#stop.abort();
    await this.#loop;
  }

  async #run(streamArn: string): Promise<void> {
    const iterators = new Map<string, string | undefined>();
    const lastSequence = new Map<string, string>();
    const finished = new Set<string>();
    // Resume after the last record handled, so re-acquiring an iterator never re-delivers.
    const acquire = async (shard: string): Promise<string | undefined> => {
      const after = lastSequence.get(shard);
      const out = await this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard,
          ...(after
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      return out.ShardIterator;
    };
    while (this.#running) {
      const cycle = ++this.#cycles;
      let idle = true;
      try {
        const stream = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
        for (const shard of stream.StreamDescription?.Shards ?? []) {
          const id = shard.ShardId ?? '';
          if (!iterators.has(id) && !finished.has(id)) iterators.set(id, undefined);
        }
        for (const [shard, current] of iterators) {
          const iterator = current ?? (await acquire(shard));
          if (!iterator) continue;
          try {
            const out = await this.streams.send(
              new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }),
            );
            const raw = out.Records ?? [];
            const records = raw
              .map((r) => toLambdaRecord(r, streamArn))
              .filter((r) => matchesPattern(this.filter, r));
            if (records.length > 0) await this.#deliver(records);
            const last = raw.at(-1)?.dynamodb?.SequenceNumber;
            if (last) {
              lastSequence.set(shard, last);
              idle = false;
            }
            if (out.NextShardIterator) iterators.set(shard, out.NextShardIterator);
            else {
              iterators.delete(shard);
              finished.add(shard);
            }
          } catch (error) {
            // DynamoDB Local invalidates iterators taken on an empty shard (TrimmedDataAccess);
            // expired iterators are normal too. Take a fresh one next round.
            iterators.set(shard, undefined);
            if (!/Trimmed|Expired/i.test(String(error))) throw error;
            idle = false;
          }
        }
      } catch (error) {
        if (!this.#running) return;
        idle = false;
        logger.error('local stream poll failed', { table: this.tableName, error: String(error) });
        await pause(250, this.#stop.signal);
      }
      if (idle) {
        this.#idleCycles = cycle;
        await pause(this.options.idleMs ?? 25, this.#stop.signal);
      }
    }
  }

  /** Invokes the handler until every record succeeded or aged out; halves a batch that throws. */
  async #deliver(records: DynamoDBRecord[]): Promise<void> {
    this.#pending += records.length;
    const maxAgeMs = this.options.maxRecordAgeMs ?? 24 * 3600_000;
    const queue: DynamoDBRecord[][] = [records];
    try {
      for (let attempt = 0; queue.length > 0 && this.#running; attempt++) {
        const batch = queue.shift() as DynamoDBRecord[];
        let failedAt: string | undefined;
        let threw = false;
        try {
          const response = await this.handler({ Records: batch }, lambdaContext('outbox-relay'));
          failedAt = response?.batchItemFailures[0]?.itemIdentifier;
        } catch {
          threw = true;
          failedAt = batch[0]?.dynamodb?.SequenceNumber;
        }
        if (failedAt === undefined) {
          attempt = -1;
          continue;
        }
        const index = Math.max(
          0,
          batch.findIndex((r) => r.dynamodb?.SequenceNumber === failedAt),
        );
        let rest = batch.slice(index);
        const head = rest[0] as DynamoDBRecord;
        const ageMs = Date.now() - (head.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000;
        if (ageMs > maxAgeMs) {
          // Older than the stream keeps records: off to the on-failure destination, whole.
          logger.error('stream record expired before it could be relayed', { sequenceNumber: failedAt });
          this.failures.push(head);
          rest = rest.slice(1);
        }
        // Bisect a batch whose invocation failed outright, as BisectBatchOnFunctionError does.
        if (threw && rest.length > 1)
          queue.unshift(rest.slice(0, rest.length / 2), rest.slice(rest.length / 2));
        else if (rest.length > 0) queue.unshift(rest);
        await pause(Math.min(2000, 50 * 2 ** Math.min(attempt, 6)), this.#stop.signal);
      }
    } finally {
      this.#pending -= records.length;
    }
  }
}
