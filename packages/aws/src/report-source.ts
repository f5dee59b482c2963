import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LoggedEvent } from '@heed/core';
import { EVENT_SK_PREFIX, INDEX, openedKeys, openedPartitions, STATE_SK, ticketPk } from './table-schema';
import { type LogItem, queryAll } from './ticket-store';

/** One index partition of the tickets a report reads: a tenant's tickets opened on one day, one shard. */
export interface ReportPartition {
  readonly gpk: string;
}

/** The days a period touches (UTC), first to last. */
export const daysOf = (from: Date, to: Date): string[] => {
  const days: string[] = [];
  for (
    let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
    t < to.getTime();
    t += 86_400_000
  )
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
};

/**
 * Where a report finds its tickets and their logs: the tickets table's sparse index by tenant
 * and day of opening (never a Scan), then each ticket's log (one Query, paged).
 */
export class DynamoReportSource {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The partitions holding the tickets opened in [from, to). */
  partitions(tenantId: string, from: Date, to: Date): ReportPartition[] {
    return daysOf(from, to).flatMap((day) => openedPartitions(tenantId, day).map((gpk) => ({ gpk })));
  }

  /** The ids of the tickets of one partition opened in [from, to). */
  async ticketsIn(partition: ReportPartition, from: Date, to: Date): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEX.name,
          KeyConditionExpression: 'gpk = :p AND gsk BETWEEN :lo AND :hi',
          ExpressionAttributeValues: {
            ':p': partition.gpk,
            ':lo': from.toISOString(),
            // The last millisecond before `to`, and any ticket id after it.
            ':hi': `${new Date(to.getTime() - 1).toISOString()}#\uffff`,
          },
          ProjectionExpression: 'gsk',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const gsk = String(item.gsk);
        ids.push(gsk.slice(gsk.indexOf('#') + 1));
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return ids;
  }

  /** A ticket's whole log, as the folds take it. */
  async log(tenantId: string, ticketId: string): Promise<LoggedEvent[]> {
    const items = (await queryAll(this.documents, this.tableName, ticketPk(tenantId, ticketId), {
      prefix: EVENT_SK_PREFIX,
      eventual: true,
    })) as unknown as LogItem[];
    return items.map((i) => ({ event: i.event, actor: i.actor }));
  }
}

/**
 * Gives every opened ticket recorded before the report index existed its index keys: a one-off
 * Scan of the state items without them (an operator's migration, never a report's read), then a
 * conditional update each (a state written meanwhile carries its keys already and is left alone).
 * Running it again indexes nothing. A tenant narrows it to its own tickets.
 */
export const reindexOpened = async (
  documents: DynamoDBDocumentClient,
  tableName: string,
  tenantId?: string,
): Promise<{ scanned: number; indexed: number }> => {
  let scanned = 0;
  let indexed = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: `sk = :state AND attribute_not_exists(gpk) AND attribute_exists(#s.openedAt)${tenantId ? ' AND #s.tenantId = :t' : ''}`,
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':state': STATE_SK, ...(tenantId && { ':t': tenantId }) },
        ProjectionExpression: 'pk, #s.tenantId, #s.ticketId, #s.openedAt',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      scanned++;
      const state = item.state as { tenantId: string; ticketId: string; openedAt: string | null };
      if (!state.openedAt) continue;
      const keys = openedKeys(state.tenantId, state.ticketId, state.openedAt);
      try {
        await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: item.pk, sk: STATE_SK },
            UpdateExpression: 'SET gpk = :gpk, gsk = :gsk',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(gpk)',
            ExpressionAttributeValues: { ':gpk': keys.gpk, ':gsk': keys.gsk },
          }),
        );
        indexed++;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { scanned, indexed };
};
