import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Channel, DomainEvent } from '@heed/contracts';
import { ACK_SK_PREFIX, DELIVERY_SK_PREFIX, OUTBOX_SK_PREFIX, TTL_ATTRIBUTE, ticketPk } from './table-schema';

export type AckStatus = 'requested' | 'sent' | 'skipped' | 'failed';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled' | 'skipped';

/** The acknowledgement of one opening (`open`) or reopen (`reopen-<n>`) of a ticket. */
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

/** One outbound message and what happened to it. Holds PII (recipient), so it never goes on the bus. */
export interface DeliveryRecord {
  readonly tenantId: string;
  readonly ticketId: string;
  readonly reference: string;
  readonly deliveryId: string;
  readonly purpose: string;
  readonly audience: 'customer' | 'internal';
  readonly channel: Channel | null;
  readonly status: DeliveryStatus;
  readonly reason?: string;
  readonly createdAt: string;
  /** When Heed received the ticket: the start of AcknowledgementLatency. */
  readonly receivedAt: string;
  readonly recipient: {
    readonly customerId?: string;
    readonly name?: string;
    readonly email?: string;
    readonly locale?: string;
  };
  readonly message: MessageContent;
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
  /** A public agent reply at or after this instant makes the message unnecessary (acknowledgements). */
  readonly unnecessaryAfterReplySince?: string;
  readonly attempts: readonly DeliveryAttempt[];
  /** Endpoints (by index in the tenant's webhook list, or "email") that already accepted it. */
  readonly succeeded: readonly string[];
  readonly deliveredAt?: string;
  /** When it stopped being pending (delivered, failed, cancelled or skipped). */
  readonly settledAt?: string;
}

const OUTBOX_TTL_SECONDS = 7 * 24 * 3600;

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

export class DeliveryNotFoundError extends Error {
  override readonly name = 'DeliveryNotFoundError';
}

/**
 * Acknowledgements and deliveries, kept in the ticket's partition. Each state change that others
 * must hear about writes an outbox item in the same transaction, relayed by the tickets stream.
 */
export class DynamoDeliveryStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  #outbox(tenantId: string, ticketId: string, id: string, emits: readonly DomainEvent[], now: Date) {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: ticketPk(tenantId, ticketId),
          sk: `${OUTBOX_SK_PREFIX}${now.toISOString()}#${id}`,
          kind: 'outbox',
          emits,
          [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + OUTBOX_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** Runs a transaction; false when its first item's condition failed (already claimed or settled). */
  async #transact(items: TransactItems): Promise<boolean> {
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
   * Claims the acknowledgement of one opening and, when it is to be sent, stores the message
   * and requests its delivery, all in one transaction. Returns false when that opening was
   * already claimed (a duplicate or racing delivery of the same event): exactly one wins.
   */
  async claim(args: {
    tenantId: string;
    ticketId: string;
    ack: AckRecord;
    delivery?: Omit<DeliveryRecord, 'status' | 'attempts' | 'succeeded'>;
    emits: readonly DomainEvent[];
    now: Date;
  }): Promise<boolean> {
    const pk = ticketPk(args.tenantId, args.ticketId);
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: { pk, sk: `${ACK_SK_PREFIX}${args.ack.openingKey}`, kind: 'ack', ...args.ack },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (args.delivery) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            pk,
            sk: `${DELIVERY_SK_PREFIX}${args.delivery.deliveryId}`,
            kind: 'delivery',
            ...args.delivery,
            status: 'pending',
            attempts: [],
            succeeded: [],
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    if (args.emits.length > 0)
      items.push(
        this.#outbox(args.tenantId, args.ticketId, `ack-${args.ack.openingKey}`, args.emits, args.now),
      );
    return this.#transact(items);
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

  /** Appends attempts (and endpoints that succeeded) while the delivery is still pending. */
  async recordAttempts(
    d: DeliveryRecord,
    attempts: readonly DeliveryAttempt[],
    succeeded: readonly string[],
  ): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: ticketPk(d.tenantId, d.ticketId), sk: `${DELIVERY_SK_PREFIX}${d.deliveryId}` },
          UpdateExpression:
            'SET attempts = list_append(attempts, :a), succeeded = list_append(succeeded, :s)',
          ConditionExpression: '#st = :pending',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':a': attempts, ':s': succeeded, ':pending': 'pending' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // settled meanwhile: nothing to add
    }
  }

  /**
   * Settles a pending delivery (delivered, failed, cancelled, skipped) and its acknowledgement,
   * with the domain events to publish. Returns false when it was already settled.
   */
  async settle(
    d: DeliveryRecord,
    status: Exclude<DeliveryStatus, 'pending'>,
    ackStatus: AckStatus,
    now: Date,
    emits: readonly DomainEvent[],
    reason?: string,
  ): Promise<boolean> {
    const pk = ticketPk(d.tenantId, d.ticketId);
    const items: TransactItems = [
      {
        Update: {
          TableName: this.tableName,
          Key: { pk, sk: `${DELIVERY_SK_PREFIX}${d.deliveryId}` },
          UpdateExpression: `SET #st = :s, settledAt = :now${status === 'delivered' ? ', deliveredAt = :now' : ''}${reason ? ', reason = :r' : ''}`,
          ConditionExpression: '#st = :pending',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: {
            ':s': status,
            ':now': now.toISOString(),
            ':pending': 'pending',
            ...(reason && { ':r': reason }),
          },
        },
      },
    ];
    if (d.openingKey) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: { pk, sk: `${ACK_SK_PREFIX}${d.openingKey}` },
          UpdateExpression: `SET #st = :s${ackStatus === 'sent' ? ', sentAt = :now' : ''}${reason ? ', reason = :r' : ''}`,
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: {
            ':s': ackStatus,
            ...(ackStatus === 'sent' && { ':now': now.toISOString() }),
            ...(reason && { ':r': reason }),
          },
        },
      });
    }
    if (emits.length > 0) items.push(this.#outbox(d.tenantId, d.ticketId, `dlv-${d.deliveryId}`, emits, now));
    return this.#transact(items);
  }
}
