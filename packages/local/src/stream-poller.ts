import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { logger, STREAM_RETRY_ATTEMPTS } from '@heed/aws';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type EventPattern, matchesPattern } from './event-pattern';
import { type Invocable, lambdaContext } from './lambda-context';
import { sleep } from './processes';

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

/**
 * A DynamoDB-stream event source mapping, locally: reads the table's stream from DynamoDB Local,
 * applies the same filter pattern as the CDK mapping, invokes the handler, and on a reported
 * failure retries from the failed record (in order), up to STREAM_RETRY_ATTEMPTS, as Lambda does.
 */
export class StreamPoller {
  #running = false;
  #loop: Promise<void> | undefined;
  #pending = 0;
  readonly failures: DynamoDBRecord[] = [];

  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly streams: DynamoDBStreamsClient,
    private readonly tableName: string,
    private readonly filter: EventPattern,
    private readonly handler: Invocable<DynamoDBStreamEvent, DynamoDBBatchResponse | undefined>,
    private readonly idleMs = 25,
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

  async stop(): Promise<void> {
    this.#running = false;
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
          }
        }
      } catch (error) {
        if (!this.#running) return;
        logger.error('local stream poll failed', { table: this.tableName, error: String(error) });
        await sleep(250);
      }
      if (idle) await sleep(this.idleMs);
    }
  }

  async #deliver(records: DynamoDBRecord[]): Promise<void> {
    this.#pending += records.length;
    let batch = records;
    try {
      for (let attempt = 0; batch.length > 0; attempt++) {
        let failedAt: string | undefined;
        try {
          const response = await this.handler({ Records: batch }, lambdaContext('outbox-relay'));
          failedAt = response?.batchItemFailures[0]?.itemIdentifier;
        } catch {
          failedAt = batch[0]?.dynamodb?.SequenceNumber;
        }
        if (failedAt === undefined) return;
        const index = Math.max(
          0,
          batch.findIndex((r) => r.dynamodb?.SequenceNumber === failedAt),
        );
        batch = batch.slice(index);
        if (attempt >= STREAM_RETRY_ATTEMPTS) {
          // Like the on-failure destination of the real mapping: record it and move on.
          logger.error('stream record failed after all retries', { sequenceNumber: failedAt });
          this.failures.push(batch[0] as DynamoDBRecord);
          batch = batch.slice(1);
          attempt = -1;
          continue;
        }
        await sleep(Math.min(2000, 50 * 2 ** attempt));
      }
    } finally {
      this.#pending -= records.length;
    }
  }
}
