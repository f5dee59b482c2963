import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type InboundEvent, stringifyJson } from '@heed/contracts';
import { unlessConditionFailed } from './errors';
import { activitySk, STATE_SK, ticketPk } from './table-schema';

/**
 * Erasure of a customer's personal data (GDPR art. 17), by redaction in place: every stored item
 * of the customer's tickets loses the fields that identify or describe the person (names, e-mail
 * addresses, subjects, free text, and the verbatim JSON an event arrived as), and keeps its facts
 * (ids, instants, statuses, clocks), so SLA figures stay true. Chosen over crypto-shredding (a
 * key per customer, every personal field sealed with it): that needs a KMS call on every write
 * and every read of a ticket and touches every reader, while the fields to erase are few and
 * known; and redaction can be proven by searching the stores afterwards, as the tests do.
 */

/** Keys whose values describe a person; wherever they appear in a ticket's items, they go. */
const PERSONAL_KEYS = new Set(['name', 'email', 'subject', 'comment', 'text', 'html', 'raw']);

/** `value` without personal fields, deeply; the same value when there were none. */
export const redacted = <T>(value: T): T => {
  if (Array.isArray(value)) return value.map(redacted) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (PERSONAL_KEYS.has(key) && typeof v === 'string') continue;
    out[key] = redacted(v);
  }
  return out as T;
};

/** An event as stored for an erased customer: its facts, and the typed event as its JSON. */
export const redactedEvent = (event: InboundEvent): { event: InboundEvent; raw: string } => {
  const event_ = redacted(event);
  return { event: event_, raw: stringifyJson(event_) };
};

const erasurePk = (tenantId: string, customerId: string): string => `${tenantId}#ERASED#${customerId}`;
const ERASURE_SK = 'ERASURE';

/** When the customer was erased, or null: later tickets of theirs are stored redacted. */
export const erasedAt = async (
  documents: DynamoDBDocumentClient,
  tableName: string,
  tenantId: string,
  customerId: string,
): Promise<string | null> => {
  const out = await documents.send(
    new GetCommand({
      TableName: tableName,
      Key: { pk: erasurePk(tenantId, customerId), sk: ERASURE_SK },
      ConsistentRead: true,
    }),
  );
  return (out.Item?.erasedAt as string | undefined) ?? null;
};

/**
 * Where the relay keeps the records it gave up on (the S3 on-failure destination in AWS; the
 * runtime's memory locally): they hold whole log items, so an erasure redacts them too.
 */
export interface FailedRecords {
  /** Redacts every kept record of these ticket partitions; returns how many it changed. */
  redact(pks: readonly string[]): Promise<number>;
}

/** A DynamoDB stream record without personal fields in its images (typed attribute values). */
export const redactedStreamRecord = (record: unknown): unknown => {
  const r = record as { dynamodb?: Record<string, unknown> };
  if (!r.dynamodb) return redacted(record);
  const images = Object.fromEntries(
    (['NewImage', 'OldImage'] as const).flatMap((name) => {
      const image = r.dynamodb?.[name] as Record<string, AttributeValue> | undefined;
      if (!image) return [];
      const item = redacted(unmarshall(image));
      const clean =
        item.kind === 'event' && item.event
          ? { ...item, ...redactedEvent(item.event as InboundEvent) }
          : item;
      return [[name, marshall(clean, { removeUndefinedValues: true })]];
    }),
  );
  return { ...r, dynamodb: { ...r.dynamodb, ...images } };
};

/** Kept records in memory (the local runtime's stream poller): redacted in place. */
export const memoryFailedRecords = (records: unknown[]): FailedRecords => ({
  async redact(pks) {
    let changed = 0;
    records.forEach((record, i) => {
      const text = JSON.stringify(record);
      if (!pks.some((pk) => text.includes(JSON.stringify(pk)))) return;
      const clean = redactedStreamRecord(record);
      if (JSON.stringify(clean) === text) return;
      records[i] = clean;
      changed++;
    });
    return changed;
  },
});

export interface ErasureResult {
  readonly erasedAt: string;
  readonly tickets: readonly string[];
  /** Items rewritten (0 when run again: idempotent). */
  readonly items: number;
}

/**
 * Erases a customer: records the erasure (first time only), finds their tickets (a Scan of the
 * tenant's ticket states: erasure requests are rare, and an index maintained on every event would
 * cost every ticket a write), marks each ticket erased (bumping its version, so a concurrent
 * writer re-reads and stores its event redacted), rewrites every item of its partition that
 * still holds personal fields, and records the erasure on its timeline once.
 */
export const eraseCustomer = async (
  documents: DynamoDBDocumentClient,
  tableName: string,
  tenantId: string,
  customerId: string,
  now: Date,
  failed?: FailedRecords,
): Promise<ErasureResult> => {
  await unlessConditionFailed(
    documents.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: erasurePk(tenantId, customerId),
          sk: ERASURE_SK,
          kind: 'erasure',
          tenantId,
          customerId,
          erasedAt: now.toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
  const at = (await erasedAt(documents, tableName, tenantId, customerId)) ?? now.toISOString();
  const tickets: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'sk = :state AND #s.tenantId = :t AND #s.customer.id = :c',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':state': STATE_SK, ':t': tenantId, ':c': customerId },
        ProjectionExpression: '#s.ticketId',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) tickets.push((item.state as { ticketId: string }).ticketId);
    start = page.LastEvaluatedKey;
  } while (start);
  let items = 0;
  for (const ticketId of tickets) {
    const pk = ticketPk(tenantId, ticketId);
    // The state first, atomically: a new version (a writer that read it before retries and stores
    // its event redacted), a new snapshot epoch (every snapshot so far is ignored, then deleted).
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk, sk: STATE_SK },
        UpdateExpression:
          'REMOVE #s.customer.#name, #s.customer.email SET #s.subject = :null, #s.erasedAt = if_not_exists(#s.erasedAt, :at), version = version + :one, snapshotEpoch = if_not_exists(snapshotEpoch, :zero) + :one',
        ExpressionAttributeNames: { '#s': 'state', '#name': 'name' },
        ExpressionAttributeValues: { ':null': null, ':at': at, ':one': 1, ':zero': 0 },
      }),
    );
    // Twice: an owner that folded the log just before it was redacted may write once more.
    for (let pass = 0; pass < 2; pass++) items += await redactPartition(documents, tableName, pk);
    const id = `erased-${customerId}`;
    const written = await unlessConditionFailed(
      documents.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk,
            sk: activitySk(at, id),
            kind: 'activity',
            type: 'customer.erased',
            at,
            id,
            customerId,
            erased: [
              'customer name and e-mail',
              'subject',
              'comments',
              'message texts',
              'fields sent verbatim',
            ],
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (written) items++;
  }
  if (failed) items += await failed.redact(tickets.map((t) => ticketPk(tenantId, t)));
  return { erasedAt: at, tickets, items };
};

type Path = readonly (string | number)[];

/** Where `value` holds personal fields (their paths), deeply. */
const personalPaths = (value: unknown, at: Path = []): Path[] => {
  if (Array.isArray(value)) return value.flatMap((v, i) => personalPaths(v, [...at, i]));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    PERSONAL_KEYS.has(key) && typeof v === 'string' ? [[...at, key]] : personalPaths(v, [...at, key]),
  );
};

/** Paths removed per UpdateItem: its expression stays far under DynamoDB's 4 KB. */
const PATHS_PER_UPDATE = 40;

/**
 * Removes the personal fields of every item of a ticket's partition in place (REMOVE of exactly
 * those paths: other attributes a service updates meanwhile are untouched), sets an event's
 * `raw` to its redacted typed event, and deletes the snapshots (the state's new epoch ignores
 * them). Returns how many items it changed.
 */
const redactPartition = async (
  documents: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
): Promise<number> => {
  let changed = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const key = { pk, sk: item.sk as string };
      if (item.kind === 'snapshot') {
        await documents.send(new DeleteCommand({ TableName: tableName, Key: key }));
        changed++;
        continue;
      }
      const paths = personalPaths(item).filter((p) => !(p.length === 1 && p[0] === 'raw'));
      const event = item.kind === 'event' ? (item.event as InboundEvent | undefined) : undefined;
      const raw = event ? redactedEvent(event).raw : undefined;
      if (paths.length === 0 && (raw === undefined || raw === item.raw)) continue;
      for (let i = 0; i < Math.max(1, paths.length); i += PATHS_PER_UPDATE) {
        const names: Record<string, string> = {};
        const expression = paths.slice(i, i + PATHS_PER_UPDATE).map((path) =>
          path
            .map((segment) => {
              if (typeof segment === 'number') return `[${segment}]`;
              const name = `#n${Object.keys(names).length}`;
              names[name] = segment;
              return `.${name}`;
            })
            .join('')
            .replace(/^\./, ''),
        );
        const setRaw = raw !== undefined && i === 0;
        if (expression.length === 0 && !setRaw) continue;
        await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: [
              setRaw && 'SET #raw = :raw',
              expression.length > 0 && `REMOVE ${expression.join(', ')}`,
            ]
              .filter(Boolean)
              .join(' '),
            ...((setRaw || Object.keys(names).length > 0) && {
              ExpressionAttributeNames: { ...names, ...(setRaw && { '#raw': 'raw' }) },
            }),
            ...(setRaw && { ExpressionAttributeValues: { ':raw': raw } }),
          }),
        );
      }
      changed++;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return changed;
};
