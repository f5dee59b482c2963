import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '@heed/contracts';
import type {
  AckRecord,
  AckStatus,
  Activity,
  DeliveryAttempt,
  DeliveryPurpose,
  DeliveryRecord,
  DeliveryStatus,
  NewDelivery,
} from '@heed/core';
import {
  ACK_SK_PREFIX,
  activitySk,
  DELIVERY_SK_PREFIX,
  OUTBOX_ATTRIBUTE,
  ticketPk,
  windowKeys,
} from './table-schema';

/** Statuses in which a delivery may still be sent: pending, and failed (after a redrive from the DLQ). */
const SENDABLE = ['pending', 'failed'] as const;

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

export class DeliveryNotFoundError extends Error {
  override readonly name = 'DeliveryNotFoundError';
}

/** A round of attempts to send a delivery: each endpoint tried, and those that accepted it. */
export interface SendAttempts {
  readonly attempts: readonly DeliveryAttempt[];
  readonly succeeded: readonly string[];
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
  async recordAttempts(d: DeliveryRecord, sent: SendAttempts): Promise<void> {
    if (sent.attempts.length === 0) return;
    const { set, values, puts } = this.attemptWrites(d, sent);
    // False when settled meanwhile: nothing to add.
    await this.transact([
      {
        Update: {
          TableName: this.tableName,
          Key: { pk: ticketPk(d.tenantId, d.ticketId), sk: `${DELIVERY_SK_PREFIX}${d.deliveryId}` },
          UpdateExpression: `SET ${set}`,
          ConditionExpression: '#st IN (:p, :f)',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ...values, ':p': SENDABLE[0], ':f': SENDABLE[1] },
        },
      },
      ...puts,
    ]);
  }

  /** The update clause, values and timeline items that append a round of attempts. */
  private attemptWrites(d: DeliveryRecord, sent: SendAttempts) {
    return {
      set: 'attempts = list_append(attempts, :a), succeeded = list_append(succeeded, :ok)',
      values: { ':a': sent.attempts, ':ok': sent.succeeded },
      puts: sent.attempts.map((attempt, i) =>
        this.activityPut(d.tenantId, d.ticketId, {
          id: `attempt-${d.deliveryId}-${d.attempts.length + i + 1}`,
          type: 'delivery.attempt',
          deliveryId: d.deliveryId,
          purpose: d.purpose,
          ...attempt,
        }),
      ),
    };
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
    sent?: SendAttempts,
  ): Promise<boolean> {
    const pk = ticketPk(d.tenantId, d.ticketId);
    const at = now.toISOString();
    // The round of attempts that led here, in the same transaction: one write per delivery.
    const round = sent && sent.attempts.length > 0 ? this.attemptWrites(d, sent) : null;
    const items: TransactItems = [
      {
        Update: {
          TableName: this.tableName,
          Key: { pk, sk: `${DELIVERY_SK_PREFIX}${d.deliveryId}` },
          UpdateExpression: `SET #st = :s, settledAt = :now${status === 'delivered' ? ', deliveredAt = :now' : ''}${reason ? ', reason = :r' : ''}${round ? `, ${round.set}` : ''}${reason ? '' : ' REMOVE reason'}`,
          // A failed delivery is settled again only by a later success (after a redrive).
          ConditionExpression: status === 'failed' ? '#st = :p' : '#st IN (:p, :f)',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: {
            ':s': status,
            ':now': at,
            ':p': 'pending',
            ...(status !== 'failed' && { ':f': 'failed' }),
            ...(reason && { ':r': reason }),
            ...round?.values,
          },
        },
      },
      ...(round?.puts ?? []),
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
