import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel, DomainEvent, TicketStatus } from '@heed/contracts';
import { domainEvent } from '@heed/core';
import {
  ACK_SK_PREFIX,
  activitySk,
  DELIVERY_SK_PREFIX,
  OUTBOX_ATTRIBUTE,
  ticketPk,
  windowKeys,
} from './table-schema';

export type AckStatus = 'requested' | 'sent' | 'skipped' | 'failed';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled' | 'skipped';
/** Why a message is sent; templates and webhook receivers switch on it. */
export type DeliveryPurpose =
  | 'acknowledgement'
  | 'escalation'
  | 'survey'
  | 'reminder'
  | 'linked-ticket'
  | 'auto-closed';

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

/** Statuses in which a delivery may still be sent: pending, and failed (after a redrive from the DLQ). */
const SENDABLE = ['pending', 'failed'] as const;

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

export class DeliveryNotFoundError extends Error {
  override readonly name = 'DeliveryNotFoundError';
}

/** A claim: a conditional put that makes an action happen once (an opening's acknowledgement). */
export interface Claim {
  readonly sk: string;
  readonly item: Record<string, unknown>;
  /** A claim in this status may be taken again (its earlier attempt failed for good). */
  readonly retakeIf?: string;
}

/**
 * Acknowledgements and deliveries, kept in the ticket's partition. Every state change writes an
 * activity item (the ticket's timeline); those that others must hear about carry the domain
 * events, in the same transaction, and are relayed by the tickets stream (the outbox).
 */
export class DynamoDeliveryStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The Put of an activity item; with domain events it is an outbox item, found by redrive windows. */
  activityPut(tenantId: string, ticketId: string, activity: Activity, emits: readonly DomainEvent[] = []) {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: ticketPk(tenantId, ticketId),
          sk: activitySk(activity.at, activity.id),
          ...activity,
          // After the details: the stream filter and the timeline read `kind`, a detail must not replace it.
          kind: emits.length > 0 ? 'outbox' : 'activity',
          ...(emits.length > 0 && {
            [OUTBOX_ATTRIBUTE]: emits,
            ...windowKeys(tenantId, ticketId, activity.at),
          }),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** The Put of a new pending delivery (for a caller's own transaction). */
  deliveryPut(delivery: NewDelivery) {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: ticketPk(delivery.tenantId, delivery.ticketId),
          sk: `${DELIVERY_SK_PREFIX}${delivery.deliveryId}`,
          kind: 'delivery',
          ...delivery,
          status: 'pending',
          attempts: [],
          succeeded: [],
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** Runs a transaction; false when its first item's condition failed (already claimed or settled). */
  async transact(items: TransactItems): Promise<boolean> {
    try {
      await this.documents.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        return false;
      }
      throw error;
    }
  }

  /**
   * Requests a delivery (and/or records a decision) in one transaction: the claim that makes it
   * happen once, the stored message, and the activity with the domain events to publish
   * (`Delivery Requested`). Returns false when the claim was already taken: exactly one wins.
   */
  async request(args: {
    tenantId: string;
    ticketId: string;
    claim?: Claim;
    delivery?: NewDelivery;
    activity: Activity;
    emits: readonly DomainEvent[];
  }): Promise<boolean> {
    const pk = ticketPk(args.tenantId, args.ticketId);
    const items: TransactItems = [];
    if (args.claim) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { pk, sk: args.claim.sk, ...args.claim.item },
          ConditionExpression: args.claim.retakeIf
            ? 'attribute_not_exists(pk) OR #st = :retake'
            : 'attribute_not_exists(pk)',
          ...(args.claim.retakeIf && {
            ExpressionAttributeNames: { '#st': 'status' },
            ExpressionAttributeValues: { ':retake': args.claim.retakeIf },
          }),
        },
      });
    }
    if (args.delivery) items.push(this.deliveryPut(args.delivery));
    items.push(this.activityPut(args.tenantId, args.ticketId, args.activity, args.emits));
    return this.transact(items);
  }

  /** Claims the acknowledgement of one opening, with its message when one is to be sent. */
  async claim(args: {
    tenantId: string;
    ticketId: string;
    ack: AckRecord;
    delivery?: NewDelivery;
    emits: readonly DomainEvent[];
  }): Promise<boolean> {
    const { ack } = args;
    return this.request({
      tenantId: args.tenantId,
      ticketId: args.ticketId,
      claim: { sk: `${ACK_SK_PREFIX}${ack.openingKey}`, item: { kind: 'ack', ...ack }, retakeIf: 'failed' },
      ...(args.delivery && { delivery: args.delivery }),
      activity: {
        id: `ack-${ack.openingKey}-${ack.requestedAt}`,
        type: `acknowledgement.${ack.status}`,
        at: ack.requestedAt,
        opening: ack.openingKey,
        ...(ack.reason && { reason: ack.reason }),
        ...(ack.promisedBy && { promisedBy: ack.promisedBy }),
        ...(ack.deliveryId && { deliveryId: ack.deliveryId }),
      },
      emits: args.emits,
    });
  }

  async get(tenantId: string, ticketId: string, deliveryId: string): Promise<DeliveryRecord> {
    const out = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: ticketPk(tenantId, ticketId), sk: `${DELIVERY_SK_PREFIX}${deliveryId}` },
        ConsistentRead: true,
      }),
    );
    if (!out.Item) throw new DeliveryNotFoundError(`no delivery ${deliveryId} on ticket ${ticketId}`);
    return out.Item as DeliveryRecord;
  }

  /** Appends attempts (and endpoints that accepted) while the delivery can still be sent. */
  async recordAttempts(
    d: DeliveryRecord,
    attempts: readonly DeliveryAttempt[],
    succeeded: readonly string[],
  ): Promise<void> {
    if (attempts.length === 0) return;
    const ok = await this.transact([
      {
        Update: {
          TableName: this.tableName,
          Key: { pk: ticketPk(d.tenantId, d.ticketId), sk: `${DELIVERY_SK_PREFIX}${d.deliveryId}` },
          UpdateExpression:
            'SET attempts = list_append(attempts, :a), succeeded = list_append(succeeded, :s)',
          ConditionExpression: '#st IN (:p, :f)',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: {
            ':a': attempts,
            ':s': succeeded,
            ':p': SENDABLE[0],
            ':f': SENDABLE[1],
          },
        },
      },
      ...attempts.map((attempt, i) =>
        this.activityPut(d.tenantId, d.ticketId, {
          id: `attempt-${d.deliveryId}-${d.attempts.length + i + 1}`,
          type: 'delivery.attempt',
          deliveryId: d.deliveryId,
          purpose: d.purpose,
          ...attempt,
        }),
      ),
    ]);
    if (!ok) return; // settled meanwhile: nothing to add
  }

  /**
   * Settles a sendable delivery (delivered, failed, cancelled, skipped) and its acknowledgement,
   * with the domain events to publish. Returns false when it was already settled.
   */
  async settle(
    d: DeliveryRecord,
    status: Exclude<DeliveryStatus, 'pending'>,
    now: Date,
    emits: readonly DomainEvent[],
    reason?: string,
  ): Promise<boolean> {
    const pk = ticketPk(d.tenantId, d.ticketId);
    const at = now.toISOString();
    const items: TransactItems = [
      {
        Update: {
          TableName: this.tableName,
          Key: { pk, sk: `${DELIVERY_SK_PREFIX}${d.deliveryId}` },
          UpdateExpression: `SET #st = :s, settledAt = :now${status === 'delivered' ? ', deliveredAt = :now' : ''}${reason ? ', reason = :r' : ' REMOVE reason'}`,
          // A failed delivery is settled again only by a later success (after a redrive).
          ConditionExpression: status === 'failed' ? '#st = :p' : '#st IN (:p, :f)',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: {
            ':s': status,
            ':now': at,
            ':p': 'pending',
            ...(status !== 'failed' && { ':f': 'failed' }),
            ...(reason && { ':r': reason }),
          },
        },
      },
    ];
    if (d.openingKey) {
      const ackStatus: AckStatus =
        status === 'delivered' ? 'sent' : status === 'failed' ? 'failed' : 'skipped';
      items.push({
        Update: {
          TableName: this.tableName,
          Key: { pk, sk: `${ACK_SK_PREFIX}${d.openingKey}` },
          UpdateExpression: `SET #st = :s${ackStatus === 'sent' ? ', sentAt = :now' : ''}${reason ? ', reason = :r' : ' REMOVE reason'}`,
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: {
            ':s': ackStatus,
            ...(ackStatus === 'sent' && { ':now': at }),
            ...(reason && { ':r': reason }),
          },
        },
      });
    }
    items.push(
      this.activityPut(
        d.tenantId,
        d.ticketId,
        {
          id: `settled-${d.deliveryId}-${status}-${at}`,
          type: `delivery.${status}`,
          at,
          deliveryId: d.deliveryId,
          purpose: d.purpose,
          ...(reason && { reason }),
        },
        emits,
      ),
    );
    return this.transact(items);
  }

  /** Records on the ticket's timeline that a service gave up on a message (it is in its DLQ). */
  async recordFailure(
    tenantId: string,
    ticketId: string,
    what: { consumer: string; detailType: string; eventId: string },
    reason: string,
    now: Date,
  ): Promise<void> {
    const at = now.toISOString();
    await this.transact([
      this.activityPut(tenantId, ticketId, {
        id: `failed-${what.consumer}-${what.eventId}-${at}`,
        type: 'processing.failed',
        at,
        ...what,
        reason,
      }),
    ]);
  }

  /**
   * Marks a delivery failed when its message is about to be dead-lettered for any reason
   * (throttling, a crash, a record that was never written), so the ticket never shows it
   * pending forever. A record that does not exist is written as a bare failed delivery.
   */
  async markFailed(
    ref: { tenantId: string; ticketId: string; deliveryId: string; purpose: DeliveryPurpose },
    reason: string,
    now: Date,
  ): Promise<void> {
    let d: DeliveryRecord;
    try {
      d = await this.get(ref.tenantId, ref.ticketId, ref.deliveryId);
    } catch (error) {
      if (!(error instanceof DeliveryNotFoundError)) throw error;
      const at = now.toISOString();
      await this.transact([
        {
          Put: {
            TableName: this.tableName,
            Item: {
              pk: ticketPk(ref.tenantId, ref.ticketId),
              sk: `${DELIVERY_SK_PREFIX}${ref.deliveryId}`,
              kind: 'delivery',
              ...ref,
              status: 'failed',
              reason,
              createdAt: at,
              settledAt: at,
              attempts: [],
              succeeded: [],
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        this.activityPut(ref.tenantId, ref.ticketId, {
          id: `settled-${ref.deliveryId}-failed-${at}`,
          type: 'delivery.failed',
          at,
          deliveryId: ref.deliveryId,
          purpose: ref.purpose,
          reason,
        }),
      ]);
      return;
    }
    if (d.status === 'pending') await this.settle(d, 'failed', now, [], reason);
  }
}
