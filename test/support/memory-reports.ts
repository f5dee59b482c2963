import type { ReportSourcePort } from '@heed/app';
import { daysOf, OPENED_SHARDS, type ReportPartition } from '@heed/aws';
import { type TenantConfig, validateInboundEvent } from '@heed/contracts';
import { DEFAULT_TENANT_CONFIG, type LoggedEvent, validateTenantConfig } from '@heed/core';

/** One calendar-hours rule for every ticket: first response within `firstResponse` minutes. */
export const oneRuleConfig = (firstResponse: number): TenantConfig => {
  const checked = validateTenantConfig({
    ...DEFAULT_TENANT_CONFIG,
    sla: {
      ...DEFAULT_TENANT_CONFIG.sla,
      escalation: [],
      rules: [
        { name: 'all', hours: 'calendar', targets: { firstResponse, nextResponse: 60, resolution: 600 } },
      ],
    },
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
};

const logged = (
  id: string,
  type: string,
  ticketId: string,
  occurredAt: string,
  data: Record<string, unknown>,
) => {
  const v = validateInboundEvent(
    { id, type, ticketId, occurredAt, data },
    { now: new Date('2030-01-01T00:00:00Z') },
  );
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return { event: v.value, actor: 'producer' } as LoggedEvent;
};

/**
 * The report's source in memory, partitioned as the index partitions (a day, OPENED_SHARDS
 * shards): tickets opened at their instant and answered `minutes` later. Counts the logs read.
 */
export const memoryReportSource = (
  tickets: Readonly<Record<string, readonly [string, number]>>,
): ReportSourcePort & { logsRead: number } => {
  const shardOf = (id: string) => [...id].reduce((h, c) => h + c.charCodeAt(0), 0) % OPENED_SHARDS;
  const source = {
    logsRead: 0,
    partitions: (tenant: string, from: Date, to: Date): ReportPartition[] =>
      daysOf(from, to).flatMap((d) =>
        Array.from({ length: OPENED_SHARDS }, (_, s) => ({ gpk: `${tenant}#O#${d}#${s}` })),
      ),
    ticketsIn: async (p: ReportPartition, from: Date, to: Date) =>
      Object.entries(tickets)
        .filter(([id, [at]]) => p.gpk.endsWith(`#${at.slice(0, 10)}#${shardOf(id)}`))
        .filter(([, [at]]) => Date.parse(at) >= from.getTime() && Date.parse(at) < to.getTime())
        .map(([id]) => id),
    log: async (_tenant: string, id: string): Promise<LoggedEvent[]> => {
      source.logsRead++;
      const entry = tickets[id];
      if (!entry) return [];
      const [openedAt, minutes] = entry;
      return [
        logged(`${id}-o`, 'ticket.opened', id, openedAt, { channel: 'email', customer: { id: 'c' } }),
        logged(
          `${id}-r`,
          'agent.replied',
          id,
          new Date(Date.parse(openedAt) + minutes * 60_000).toISOString(),
          {
            agentId: 'ana',
          },
        ),
      ];
    },
  };
  return source;
};
