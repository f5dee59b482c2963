/**
 * Key layout of Heed's tables, shared by CDK (which creates them in AWS) and the local runtime
 * (which creates them in DynamoDB Local). Every partition key starts with the tenant id.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Items with this attribute (epoch seconds) are deleted by DynamoDB TTL. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const TABLES = {
  /** Ticket projections, per-ticket event logs (the outbox) and event-id dedupe markers. */
  tickets: { stream: true },
  /** Tenant profiles and API key hashes. */
  tenants: { stream: false },
} as const;
export type TableName = keyof typeof TABLES;

export const ticketPk = (tenantId: string, ticketId: string): string => `${tenantId}#T#${ticketId}`;
export const STATE_SK = 'STATE';
export const EVENT_SK_PREFIX = 'E#';
/** Acknowledgement of one opening or reopen: `A#open`, `A#reopen-1`. */
export const ACK_SK_PREFIX = 'A#';
/** One outbound delivery and its attempts. */
export const DELIVERY_SK_PREFIX = 'D#';
/** Outbox items written by services other than intake (domain events to publish). */
export const OUTBOX_SK_PREFIX = 'O#';
/** Tenant configuration item (SLA policy, calendars, templates, delivery endpoints). */
export const CONFIG_SK = 'CONFIG';
export const dedupePk = (tenantId: string, eventId: string): string => `${tenantId}#D#${eventId}`;
export const DEDUPE_SK = 'DEDUPE';

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
