import { createHash } from 'node:crypto';
import type { Channel, DomainEvent, TicketStatus } from '@heed/contracts';
import { domainEvent } from './domain-events';

/*
 * Heed's outbound messages as data: what a delivery is, and the pure builders every service uses
 * to make one (the stores in packages/aws only keep them).
 */

export type AckStatus = 'requested' | 'sent' | 'skipped' | 'failed';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled' | 'skipped';
/** Why a message is sent; templates and webhook receivers switch on it. */
export type DeliveryPurpose =
  | 'acknowledgement'
  | 'escalation'
  | 'survey'
  | 'reminder'
  | 'linked-ticket'
  | 'auto-closed'
  /** A clock that was escalated stopped: what was paged resolves itself (PagerDuty). */
  | 'escalation-resolved';

/** The acknowledgement of one opening (`open`, or `reopen:<event id>`) of a ticket. */
export interface AckRecord {
  readonly openingKey: string;
  readonly status: AckStatus;
  readonly reason?: string;
  readonly deliveryId?: string;
  readonly promisedBy?: string;
  readonly rule?: string;
  readonly targetMinutes?: number;
  readonly hours?: string;
  readonly locale?: string;
  readonly channel?: Channel | null;
  readonly requestedAt: string;
  readonly sentAt?: string;
}

export interface DeliveryAttempt {
  readonly at: string;
  /** Endpoint host only: URLs may carry tokens. */
  readonly endpoint: string;
  /** The tenant's stable id of the endpoint (`email` for SES). */
  readonly endpointId: string;
  readonly ok: boolean;
  readonly status?: number;
  readonly error?: string;
}

export interface MessageContent {
  readonly locale: string;
  readonly dir: 'ltr' | 'rtl';
  readonly format: 'email' | 'short';
  readonly subject?: string;
  readonly text: string;
  readonly html?: string;
}

/**
 * When a message has become pointless by the time it would go out (a person answered, the
 * customer wrote, the ticket moved on), the notifier cancels it instead of sending it.
 */
export interface ObsoleteIf {
  /** A public agent reply at or after this instant. */
  readonly publicReplySince?: string;
  /** A customer message at or after this instant. */
  readonly customerMessageSince?: string;
  /** The ticket's status is no longer one of these. */
  readonly statusNotIn?: readonly TicketStatus[];
  /** The ticket's current opening is no longer this one (a later reopen took over). */
  readonly openingNot?: string;
}

/** One outbound message and what happened to it. Holds PII (recipient), so it never goes on the bus. */
export interface DeliveryRecord {
  readonly tenantId: string;
  readonly ticketId: string;
  readonly reference: string;
  /** Unique per message across tenants and tickets, sortable by creation time. */
  readonly deliveryId: string;
  readonly purpose: DeliveryPurpose;
  readonly audience: 'customer' | 'internal';
  /** Roles an internal message is addressed to; a webhook with a `roles` filter gets only matching ones. */
  readonly roles: readonly string[];
  /** The template it was rendered from (e.g. `acknowledgement.reopen`). */
  readonly template: string;
  readonly channel: Channel | null;
  readonly status: DeliveryStatus;
  readonly reason?: string;
  readonly createdAt: string;
  /** When Heed received what caused it: the start of AcknowledgementLatency. */
  readonly receivedAt: string;
  readonly recipient: {
    readonly customerId?: string;
    readonly name?: string;
    readonly email?: string;
    readonly locale?: string;
  };
  readonly message: MessageContent;
  /** Structured content for machines (an escalation's clock and lateness, survey links…). */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly promise?: {
    readonly dueAt: string;
    readonly text: string;
    readonly timeZone: string;
    readonly rule: string;
    readonly targetMinutes: number;
    readonly hours: string;
  };
  /** Set for acknowledgements: the ACK item to mark sent. */
  readonly openingKey?: string;
  readonly obsoleteIf?: ObsoleteIf;
  readonly attempts: readonly DeliveryAttempt[];
  /** Endpoint ids that already accepted it: never sent to again. */
  readonly succeeded: readonly string[];
  readonly deliveredAt?: string;
  /** When it stopped being pending (delivered, failed, cancelled or skipped). */
  readonly settledAt?: string;
}

export type NewDelivery = Omit<DeliveryRecord, 'status' | 'attempts' | 'succeeded'>;

/**
 * An internal notification about a ticket (an escalation, a linked ticket): English text for
 * people, `data` for machines; it goes to the tenant's internal webhooks that take `roles`.
 */
export const internalMessage = (
  ticket: {
    readonly tenantId: string;
    readonly ticketId: string;
    readonly reference: string;
    readonly channel: Channel | null;
  },
  m: {
    /** Unique within the ticket: the delivery id is derived from it. */
    readonly key: string;
    readonly purpose: DeliveryPurpose;
    readonly roles: readonly string[];
    readonly template: string;
    readonly now: Date;
    readonly receivedAt: string;
    readonly subject: string;
    readonly text: string;
    readonly data: Readonly<Record<string, unknown>>;
  },
): NewDelivery => ({
  tenantId: ticket.tenantId,
  ticketId: ticket.ticketId,
  reference: ticket.reference,
  deliveryId: newDeliveryId(ticket.tenantId, ticket.ticketId, m.key, m.now),
  purpose: m.purpose,
  audience: 'internal',
  roles: [...m.roles],
  template: m.template,
  channel: ticket.channel,
  createdAt: m.now.toISOString(),
  receivedAt: m.receivedAt,
  recipient: {},
  message: { locale: 'en', dir: 'ltr', format: 'email', subject: m.subject, text: m.text },
  data: m.data,
});

/** The stored content of a rendered message (what the renderer adds besides, like the zone, stays out). */
export const messageContentOf = (m: MessageContent): MessageContent => ({
  locale: m.locale,
  dir: m.dir,
  format: m.format,
  text: m.text,
  ...(m.subject && { subject: m.subject }),
  ...(m.html && { html: m.html }),
});

/** The `Delivery Requested` of a new message: the notifier's cue, keyed by the delivery id. */
export const deliveryRequested = (d: NewDelivery, causationId: string): DomainEvent =>
  domainEvent(
    'Delivery Requested',
    {
      tenantId: d.tenantId,
      ticketId: d.ticketId,
      reference: d.reference,
      occurredAt: d.createdAt,
      emittedAt: d.createdAt,
      causationId,
      actor: 'heed',
      late: false,
    },
    {
      deliveryId: d.deliveryId,
      purpose: d.purpose,
      audience: d.audience,
      channel: d.channel,
      roles: [...d.roles],
    },
    d.deliveryId,
  );

/** A customer-facing message's recipient: what the ticket knows of the customer, nothing more. */
export const recipientOf = (
  customer: {
    readonly id?: string;
    readonly name?: string;
    readonly email?: string;
    readonly locale?: string;
  } | null,
): DeliveryRecord['recipient'] => ({
  ...(customer?.id && { customerId: customer.id }),
  ...(customer?.name && { name: customer.name }),
  ...(customer?.email && { email: customer.email }),
  ...(customer?.locale && { locale: customer.locale }),
});

/** What Heed did, on the ticket's timeline; with `emits`, also an outbox item. */
export interface Activity {
  readonly id: string;
  readonly type: string;
  readonly at: string;
  readonly [detail: string]: unknown;
}

/**
 * A delivery id: `d-<UTC yyyymmddThhmmss>-<12 chars of a hash of tenant, ticket and key>`.
 * Unique per message (tenant and ticket are in the hash), and sorts by creation time, so the
 * read API can list a ticket's newest deliveries with one bounded Query.
 */
export const newDeliveryId = (tenantId: string, ticketId: string, key: string, createdAt: Date): string => {
  const stamp = createdAt.toISOString().replace(/[-:]/g, '').slice(0, 15);
  const hash = createHash('sha256').update(`${tenantId}\u0000${ticketId}\u0000${key}`).digest('base64url');
  return `d-${stamp}-${hash.slice(0, 12).replace(/[-_]/g, 'x')}`;
};
