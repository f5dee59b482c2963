import * as z from 'zod';
import { ACTORS, CHANNELS, PRIORITIES, TICKET_STATUSES } from './inbound';
import { CLOCK_KINDS } from './tenant-config';

/** `source` of every event Heed puts on its bus. */
export const SOURCE = 'heed';
/** Bumped when a detail shape changes incompatibly; the JSON Schema file names carry it. */
export const SCHEMA_VERSION = 1;

/**
 * Every detail shares this header. `eventId` is deterministic (derived from the cause), so a
 * consumer that sees the same `eventId` twice must treat it as one event: the outbox relay and
 * EventBridge both deliver at least once.
 */
const header = {
  schemaVersion: z.literal(SCHEMA_VERSION),
  eventId: z.string(),
  tenantId: z.string(),
  ticketId: z.string(),
  reference: z.string(),
  /** When the underlying fact happened (producer's clock). */
  occurredAt: z.iso.datetime({ offset: true }),
  /** When Heed recorded it. */
  emittedAt: z.iso.datetime({ offset: true }),
  /** Id of the inbound event (or timer firing) that caused this event. */
  causationId: z.string(),
  /** Who caused it: the producer's event, Heed itself (SLA step, follow-up) or the customer (survey). */
  actor: z.enum(ACTORS).default('producer'),
  /**
   * True when the cause arrived after events that happened later (a late or backfilled event):
   * the event is still true, but consumers should not act on it as if it were news.
   */
  late: z.boolean().default(false),
};

const detail = <T extends z.ZodRawShape>(data: T) => z.object({ ...header, data: z.object(data) });

const clock = z.enum(CLOCK_KINDS);
export const FOLLOW_UP_KINDS = ['survey', 'reminder', 'autoClose', 'closeSolved'] as const;
/** Which clock instance a crossing belongs to, and the rule it was counted under. */
const clockRef = { clock, cycle: z.number().int(), rule: z.string(), targetMinutes: z.number() };

export const OUTBOUND_SCHEMAS = {
  'Ticket Received': detail({
    channel: z.enum(CHANNELS),
    priority: z.enum(PRIORITIES),
    createdBy: z.enum(['customer', 'agent']),
    locale: z.string().optional(),
    timeZone: z.string().optional(),
    tier: z.string().optional(),
  }),
  'Customer Replied': detail({ messageId: z.string().optional() }),
  'Agent Replied': detail({ agentId: z.string(), public: z.boolean() }),
  'Ticket Status Changed': detail({
    from: z.enum(TICKET_STATUSES).nullable(),
    to: z.enum(TICKET_STATUSES),
    /** Set when the status changed as a consequence (a customer's message reopens a solved ticket). */
    reason: z.enum(['status_changed', 'customer_replied']),
  }),
  'Ticket Priority Changed': detail({ from: z.enum(PRIORITIES).nullable(), to: z.enum(PRIORITIES) }),
  'Ticket Assigned': detail({
    agentId: z.string().nullable(),
    groupId: z.string().nullable(),
    /** True when the group changed: the customer was handed to another team. */
    transfer: z.boolean(),
    transfers: z.number().int(),
  }),
  'Feedback Received': detail({ score: z.number().int(), hasComment: z.boolean() }),
  /** `causationId` names the event that reopened it: the key of this opening for the acknowledger. */
  'Ticket Reopened': detail({
    reopenCount: z.number().int(),
    reason: z.enum(['status_changed', 'customer_replied']),
  }),
  'Acknowledgement Sent': detail({
    deliveryId: z.string(),
    channel: z.enum(CHANNELS).nullable(),
    locale: z.string(),
    /** The promised first (or, after a reopen, next) response time. */
    promisedBy: z.iso.datetime({ offset: true }),
    reopen: z.boolean(),
  }),
  /** `occurredAt` is the instant the warning threshold was crossed; `dueAt` when the target will be. */
  'SLA Warning': detail({ ...clockRef, dueAt: z.iso.datetime({ offset: true }) }),
  /** `occurredAt` is the instant elapsed time reached the target, not when a timer fired. */
  'SLA Breached': detail({ ...clockRef, dueAt: z.iso.datetime({ offset: true }) }),
  'SLA Met': detail({ ...clockRef, elapsedMinutes: z.number() }),
  'Ticket Escalated': detail({
    reason: z.enum(['sla', 'transfers', 'low-csat']),
    /** The roles told (an internal delivery goes to the tenant's webhooks that take them). */
    notify: z.array(z.string()),
    raisePriority: z.boolean(),
    assignGroup: z.string().nullable(),
    clock: clock.nullable(),
    cycle: z.number().int().nullable(),
    /** The ladder step (1-based) and its offset from the target, in minutes. */
    step: z.number().int().nullable(),
    offset: z.number().int().nullable(),
    transfers: z.number().int().nullable(),
    score: z.number().int().nullable(),
  }),
  /**
   * A follow-up fell due (`occurredAt` is its due time): a message was sent, an auto-close done,
   * or (due too long ago, in a backfill) skipped. For helpdesks that mirror Heed's follow-ups.
   */
  'Follow-up Due': detail({
    kind: z.enum(FOLLOW_UP_KINDS),
    /** The survey's or close's solve cycle, the reminder's number, the auto-close's pending round. */
    cycle: z.number().int(),
    dueAt: z.iso.datetime({ offset: true }),
    status: z.enum(['sent', 'done', 'skipped']),
    reason: z.string().nullable(),
  }),
  'Survey Requested': detail({
    deliveryId: z.string(),
    channel: z.enum(CHANNELS).nullable(),
    locale: z.string(),
    /** The solve cycle it asks about. */
    cycle: z.number().int(),
    /** When its score links stop working. */
    expiresAt: z.iso.datetime({ offset: true }),
  }),
  'Reminder Sent': detail({
    deliveryId: z.string(),
    channel: z.enum(CHANNELS).nullable(),
    locale: z.string(),
    /** 1 for the first reminder of a wait on the customer. */
    attempt: z.number().int(),
    /** Which wait on the customer (pending round) of the ticket. */
    round: z.number().int(),
  }),
  'Ticket Auto-Closed': detail({
    /** `pending`: the customer never answered; `solved`: the window to reopen by replying passed. */
    reason: z.enum(['pending', 'solved']),
    /** Reminders sent in this wait before it closed (0 for a solved ticket). */
    reminders: z.number().int(),
  }),
  /** Heed opened `linkedTicketId` because the customer came back to this closed ticket. */
  'Linked Ticket Opened': detail({
    linkedTicketId: z.string(),
    reason: z.enum(['customer_replied', 'low_score']),
    /** The internal notification telling the helpdesk to mirror it. */
    deliveryId: z.string(),
  }),
  /** Asks the notifier to deliver one stored message (the content stays in DynamoDB: no PII on the bus). */
  'Delivery Requested': detail({
    deliveryId: z.string(),
    purpose: z.string(),
    audience: z.enum(['customer', 'internal']),
    channel: z.enum(CHANNELS).nullable(),
    /** For internal notifications: the roles addressed (webhooks may filter on them). */
    roles: z.array(z.string()).default([]),
  }),
} as const;

export type DetailType = keyof typeof OUTBOUND_SCHEMAS;
export const DETAIL_TYPES = Object.keys(OUTBOUND_SCHEMAS) as DetailType[];
export type DetailOf<T extends DetailType> = z.infer<(typeof OUTBOUND_SCHEMAS)[T]>;

/** A domain event ready for the bus: what the outbox stores and the relay publishes. */
export type DomainEvent = { [T in DetailType]: { detailType: T; detail: DetailOf<T> } }[DetailType];

export class InvalidDomainEventError extends Error {
  override readonly name = 'InvalidDomainEventError';
}

/**
 * Reads the EventBridge envelope a rule delivered to a queue (or the bare `{ detailType, detail }`)
 * and validates the detail against its schema. A bad message throws: it is retried and ends in
 * the DLQ rather than being dropped silently.
 */
export const parseDomainEvent = (body: string): DomainEvent => {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new InvalidDomainEventError('message body is not JSON');
  }
  const envelope = raw as {
    'detail-type'?: unknown;
    detailType?: unknown;
    source?: unknown;
    detail?: unknown;
  };
  const detailType = envelope['detail-type'] ?? envelope.detailType;
  if (envelope.source !== undefined && envelope.source !== SOURCE)
    throw new InvalidDomainEventError(`unexpected source ${String(envelope.source)}`);
  if (typeof detailType !== 'string' || !(detailType in OUTBOUND_SCHEMAS)) {
    throw new InvalidDomainEventError(`unknown detail-type ${JSON.stringify(detailType)}`);
  }
  const parsed = OUTBOUND_SCHEMAS[detailType as DetailType].safeParse(envelope.detail);
  if (!parsed.success) {
    throw new InvalidDomainEventError(
      `invalid ${detailType} detail: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return { detailType, detail: parsed.data } as DomainEvent;
};

/** The ids a queue message names, read leniently (for dead-letter bookkeeping and DLQ listings). */
export interface MessageRef {
  readonly detailType: string | null;
  readonly eventId: string | null;
  readonly tenantId: string | null;
  readonly ticketId: string | null;
}

export const messageRef = (body: string): MessageRef => {
  try {
    const raw = JSON.parse(body) as Record<string, unknown>;
    const detail = (raw.detail ?? raw) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    return {
      detailType: text(raw['detail-type'] ?? raw.detailType ?? raw.kind),
      eventId: text(detail.eventId),
      tenantId: text(detail.tenantId),
      ticketId: text(detail.ticketId),
    };
  } catch {
    return { detailType: null, eventId: null, tenantId: null, ticketId: null };
  }
};
