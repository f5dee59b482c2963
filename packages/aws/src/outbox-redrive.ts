import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '@heed/contracts';
import type { EventPublisher } from './publisher';
import {
  ACTIVITY_SK_PREFIX,
  EVENT_SK_PREFIX,
  INDEX,
  OUTBOX_ATTRIBUTE,
  ticketPk,
  windowPartitions,
} from './table-schema';

/** Which outbox items to re-publish: one ticket's, or a tenant's recorded in [from, to). */
export type RedriveScope =
  | { readonly tenantId: string; readonly ticketId: string }
  | { readonly tenantId: string; readonly from: Date; readonly to: Date };

const HOUR = 3_600_000;

/** The hours (`2026-11-23T09`) that [from, to) touches. */
export const hoursOf = (from: Date, to: Date): string[] => {
  const hours: string[] = [];
  for (let t = Math.floor(from.getTime() / HOUR) * HOUR; t < to.getTime(); t += HOUR)
    hours.push(new Date(t).toISOString().slice(0, 13));
  return hours;
};

type Page = { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };

/**
 * Reads the domain events that outbox items of the scope carry, oldest first. A ticket is one
 * partition (its log and Heed's activity); a window reads the sparse index by tenant, hour and
 * shard: a few Queries per hour, never a Scan.
 */
export async function* outboxEvents(
  documents: DynamoDBDocumentClient,
  tableName: string,
  scope: RedriveScope,
): AsyncGenerator<DomainEvent[]> {
  const queries: ConstructorParameters<typeof QueryCommand>[0][] =
    'ticketId' in scope
      ? [EVENT_SK_PREFIX, ACTIVITY_SK_PREFIX].map((prefix) => ({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          FilterExpression: 'attribute_exists(#emits)',
          ExpressionAttributeNames: { '#emits': OUTBOX_ATTRIBUTE },
          ExpressionAttributeValues: { ':pk': ticketPk(scope.tenantId, scope.ticketId), ':p': prefix },
          ProjectionExpression: '#emits',
        }))
      : hoursOf(scope.from, scope.to).flatMap((hour) =>
          windowPartitions(scope.tenantId, hour).map((gpk) => ({
            TableName: tableName,
            IndexName: INDEX.name,
            KeyConditionExpression: 'gpk = :gpk AND gsk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':gpk': gpk,
              ':from': scope.from.toISOString(),
              // gsk is `<ISO instant>#<ticket>`: everything recorded before `to`.
              ':to': scope.to.toISOString(),
            },
          })),
        );
  for (const input of queries) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = (await documents.send(new QueryCommand({ ...input, ExclusiveStartKey: start }))) as Page;
      const items =
        'ticketId' in scope ? (page.Items ?? []) : await withEmits(documents, tableName, page.Items ?? []);
      const events = items.flatMap((i) => (i[OUTBOX_ATTRIBUTE] ?? []) as DomainEvent[]);
      if (events.length > 0) yield events;
      start = page.LastEvaluatedKey;
    } while (start);
  }
}

/**
 * The index holds only the keys of outbox items (a copy of every domain event would double what
 * each write costs, for a command run rarely): their events are read from the table, in the
 * index's order, 100 at a time.
 */
const withEmits = async (
  documents: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
): Promise<Record<string, unknown>[]> => {
  const found = new Map<string, Record<string, unknown>>();
  const id = (k: Record<string, unknown>) => `${String(k.pk)}\u0000${String(k.sk)}`;
  for (let i = 0; i < keys.length; i += 100) {
    let request: Record<string, unknown>[] = keys.slice(i, i + 100).map((k) => ({ pk: k.pk, sk: k.sk }));
    for (let attempt = 0; request.length > 0 && attempt < 10; attempt++) {
      const out = await documents.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: request,
              ProjectionExpression: 'pk, sk, #emits',
              ExpressionAttributeNames: { '#emits': OUTBOX_ATTRIBUTE },
            },
          },
        }),
      );
      for (const item of out.Responses?.[tableName] ?? []) found.set(id(item), item);
      request = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
    if (request.length > 0)
      throw new Error(`could not read ${request.length} outbox items; run the redrive again`);
  }
  return keys.flatMap((k) => {
    const item = found.get(id(k));
    return item ? [item] : [];
  });
};

/**
 * Re-publishes the scope's domain events. Consumers dedupe by `eventId`, so this is safe to run
 * again; events the bus refuses are counted, not dropped silently.
 */
export const redriveOutbox = async (
  documents: DynamoDBDocumentClient,
  tableName: string,
  scope: RedriveScope,
  publisher: EventPublisher,
): Promise<{ published: number; refused: number }> => {
  let published = 0;
  let refused = 0;
  for await (const events of outboxEvents(documents, tableName, scope)) {
    const { failed } = await publisher.publish(events);
    published += events.length - failed.length;
    refused += failed.length;
  }
  return { published, refused };
};
