import { instantKey } from '@heed/core';

/**
 * Key layout of Heed's tables, shared by CDK (which creates them in AWS) and the local runtime
 * (which creates them in DynamoDB Local). Every partition key starts with the tenant id.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Items with this attribute (epoch seconds) are deleted by DynamoDB TTL. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const TABLES = {
  /** Ticket projections, per-ticket event logs (the outbox) and event-id dedupe markers. */
  tickets: { stream: true, index: true },
  /** Tenant profiles and API key hashes. */
  tenants: { stream: false, index: false },
} as const;

/**
 * The tickets table's one sparse secondary index. Only items that set `gpk` are in it:
 * outbox items, by tenant and hour of recording, for `heed outbox redrive --from --to` (shards
 * spread one busy tenant's writes), pending timers by due bucket, for the sweeper, and tickets by
 * tenant and day of opening, for the SLA report. Never a Scan.
 */
export const INDEX = { name: 'gsi1', partitionKey: 'gpk', sortKey: 'gsk' } as const;
/**
 * Attributes copied into the index besides the keys: what the sweeper reads. Outbox items' events
 * are not copied (that would double every outbox write); a window redrive reads them from the table.
 */
export const INDEX_ATTRIBUTES = ['tenantId', 'ticketId', 'owner', 'dueAt', 'generation'] as const;
export const WINDOW_SHARDS = 4;

const shardOf = (key: string, shards: number): number => {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return h % shards;
};

/** The timer (and state) item of an owner service on a ticket: `TIMER#sla`, `TIMER#followup`. */
export const timerSk = (owner: string): string => `TIMER#${owner}`;
/** Where an owner's fold resumes (beside its timer item; written every few dozen events). */
export const checkpointSk = (owner: string): string => `CHECKPOINT#${owner}`;
/** What an owner's checkpoint at (`at`, `folded`) leaves out of its model, in `part`s: `SETTLED#<owner>#<at>#<folded>#<part>`. */
export const settledPrefix = (owner: string): string => `SETTLED#${owner}#`;
export const settledSk = (owner: string, at: number, folded: number, part: number): string =>
  `${settledPrefix(owner)}${new Date(at).toISOString()}#${String(folded).padStart(10, '0')}#${String(part).padStart(3, '0')}`;
export const TIMER_SHARDS = 8;
/** Timers are indexed by due bucket of this many minutes (the sweeper's unit of work). */
export const TIMER_BUCKET_MINUTES = 5;
export const timerBucket = (ms: number): string =>
  new Date(Math.floor(ms / (TIMER_BUCKET_MINUTES * 60_000)) * TIMER_BUCKET_MINUTES * 60_000)
    .toISOString()
    .slice(0, 16);
/**
 * Index keys of a pending timer: bucket and shard in the partition key (a million timers due at
 * once spread over the shards), the due instant first in the sort key (the sweeper reads only
 * what is overdue). Not tenant-prefixed: the sweeper serves every tenant.
 */
export const timerKeys = (
  owner: string,
  tenantId: string,
  ticketId: string,
  dueMs: number,
  bucketMs: number,
) => ({
  gpk: `DUE#${timerBucket(bucketMs)}#${shardOf(`${tenantId}#${ticketId}`, TIMER_SHARDS)}`,
  gsk: `${new Date(dueMs).toISOString()}#${owner}#${tenantId}#${ticketId}`,
});
export const timerPartitions = (bucket: string): string[] =>
  Array.from({ length: TIMER_SHARDS }, (_, s) => `DUE#${bucket}#${s}`);
/** The sweeper's own item (a system item, the one key that does not start with a tenant). */
export const SWEEPER_KEY = { pk: '#heed#sweeper', sk: 'WATERMARK' } as const;

/**
 * Index keys of a ticket's state item by its day of opening (UTC) and shard: the SLA report finds
 * the tickets of a period through them, never by a Scan. Written with the state (whose opening
 * never moves), so a ticket is indexed once; later state writes change no indexed attribute.
 */
export const OPENED_SHARDS = 4;
export const openedKeys = (tenantId: string, ticketId: string, openedAt: string) => ({
  gpk: `${tenantId}#O#${openedAt.slice(0, 10)}#${shardOf(ticketId, OPENED_SHARDS)}`,
  gsk: `${openedAt}#${ticketId}`,
});
/** The index partitions holding a tenant's tickets opened on one day (`2026-11-23`). */
export const openedPartitions = (tenantId: string, day: string): string[] =>
  Array.from({ length: OPENED_SHARDS }, (_, s) => `${tenantId}#O#${day}#${s}`);

/** Index keys of an outbox item recorded at `at` (ISO): tenant, hour, shard. */
export const windowKeys = (tenantId: string, ticketId: string, at: string) => ({
  gpk: `${tenantId}#W#${at.slice(0, 13)}#${shardOf(ticketId, WINDOW_SHARDS)}`,
  gsk: `${at}#${ticketId}`,
});
/** The index partitions holding a tenant's outbox items of one hour (`2026-11-23T09`). */
export const windowPartitions = (tenantId: string, hour: string): string[] =>
  Array.from({ length: WINDOW_SHARDS }, (_, s) => `${tenantId}#W#${hour}#${s}`);
export type TableName = keyof typeof TABLES;

export const ticketPk = (tenantId: string, ticketId: string): string => `${tenantId}#T#${ticketId}`;
export const STATE_SK = 'STATE';
export const EVENT_SK_PREFIX = 'E#';
/** State after every event up to a key: a late event re-folds from the nearest one before it. */
export const SNAPSHOT_SK_PREFIX = 'S#';
/** What Heed did, by time (`H#<at>#<id>`): the timeline's other half, and the outbox of services. */
export const ACTIVITY_SK_PREFIX = 'H#';
/** Acknowledgement of one opening: `A#open`, `A#reopen:<event id>`. */
export const ACK_SK_PREFIX = 'A#';
/** One outbound delivery and its attempts. */
export const DELIVERY_SK_PREFIX = 'D#';
/** Tenant configuration item (SLA policy, calendars, templates, delivery endpoints). */
export const CONFIG_SK = 'CONFIG';
/** The answers of a ticket's survey cycle (`SURVEY#<cycle>`) and its link's hourly request counter. */
export const surveySk = (cycle: number): string => `SURVEY#${cycle}`;
export const surveyHitsSk = (cycle: number, hour: string): string => `SURVEY#${cycle}#HITS#${hour}`;
export const dedupePk = (tenantId: string, eventId: string): string => `${tenantId}#D#${eventId}`;
export const DEDUPE_SK = 'DEDUPE';
/**
 * `heed:` keeps Heed's activity ids apart from producers' event ids (which may not use it). The
 * instant is written like an event's (nine fraction digits), so the timeline merges both in order.
 */
export const activitySk = (at: string, id: string): string =>
  `${ACTIVITY_SK_PREFIX}${instantKey(at)}#heed:${id}`;

export const tenantPk = (tenantId: string): string => tenantId;
export const PROFILE_SK = 'PROFILE';
export const KEY_SK_PREFIX = 'KEY#';

/** Name of the attribute on event-log items holding the domain events to publish (the outbox). */
export const OUTBOX_ATTRIBUTE = 'emits';

/**
 * Lambda event-source filter for the outbox relay: new event-log items that carry domain events.
 * The same pattern drives the local stream poller (through the EventBridge pattern matcher).
 */
export const OUTBOX_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { kind: { S: ['event', 'outbox'] } } },
} as const;
