import type { ReportPartition } from '@heed/aws';
import type { ReportDimension, TenantConfig } from '@heed/contracts';
import {
  accumulate,
  changesOf,
  type EscalationFact,
  emptyPartial,
  finishReport,
  type LoggedEvent,
  mergePartials,
  type OutcomeChange,
  type ReportPartial,
  type SlaReport,
  ticketFacts,
} from '@heed/core';

/** What a report reads: the tickets of a period by index partition, and each ticket's log. */
export interface ReportSourcePort {
  partitions(tenantId: string, from: Date, to: Date): ReportPartition[];
  ticketsIn(partition: ReportPartition, from: Date, to: Date): Promise<string[]>;
  log(tenantId: string, ticketId: string): Promise<LoggedEvent[]>;
}

export interface ReportRequest {
  readonly tenantId: string;
  readonly from: Date;
  readonly to: Date;
  readonly by: readonly ReportDimension[];
  /** The instant the folds look from (Heed's clock). */
  readonly now: Date;
  readonly config: TenantConfig;
  /** A what-if: the same tickets folded again under this configuration. */
  readonly proposed?: TenantConfig;
}

/** An escalation the proposed configuration would have made. */
export type WhatIfEscalation = EscalationFact & { readonly ticketId: string };

/** One partition's share of a report (what a Step Functions map iteration returns). */
export interface PartitionResult {
  readonly tickets: number;
  readonly before: ReportPartial;
  readonly after: ReportPartial | null;
  readonly changes: readonly OutcomeChange[];
  readonly escalations: readonly WhatIfEscalation[];
}

/** Tickets folded at once within a partition (each is one paged Query of its log). */
const CONCURRENCY = 16;

/**
 * Folds the tickets of one partition: today's report (the log as it is, Heed's actions
 * included, as the read API shows it) and, for a what-if, the proposed one (Heed's escalation
 * actions re-derived) with each clock whose outcome changes.
 */
export const reportPartition = async (
  source: ReportSourcePort,
  partition: ReportPartition,
  request: ReportRequest,
  listed?: readonly string[],
): Promise<PartitionResult> => {
  const ids = listed ?? (await source.ticketsIn(partition, request.from, request.to));
  const before = emptyPartial();
  const after = request.proposed ? emptyPartial() : null;
  const changes: OutcomeChange[] = [];
  const escalations: WhatIfEscalation[] = [];
  let tickets = 0;
  for (let i = 0; i < ids.length; i += CONCURRENCY) {
    const logs = await Promise.all(
      ids.slice(i, i + CONCURRENCY).map((id) => source.log(request.tenantId, id)),
    );
    for (const log of logs) {
      const today = ticketFacts(log, request.config, request.now);
      if (!today) continue;
      tickets++;
      accumulate(before, today, request.by);
      if (!after || !request.proposed) continue;
      const proposed = ticketFacts(log, request.proposed, request.now, { rederive: true });
      if (proposed) {
        accumulate(after, proposed, request.by);
        escalations.push(...proposed.escalations.map((e) => ({ ticketId: proposed.ticketId, ...e })));
      }
      changes.push(...changesOf(today, proposed));
    }
  }
  return { tickets, before, after, changes, escalations };
};

export interface WhatIfReport {
  readonly before: SlaReport;
  readonly after: SlaReport;
  readonly changes: readonly OutcomeChange[];
  readonly escalations: readonly WhatIfEscalation[];
}

/** Partition results as one: the report, and for a what-if its comparison. */
export const combineResults = (
  results: readonly PartitionResult[],
  request: Pick<ReportRequest, 'from' | 'to' | 'by' | 'proposed'>,
): { report: SlaReport; whatIf: WhatIfReport | null; tickets: number } => {
  const period = { from: request.from.toISOString(), to: request.to.toISOString(), by: request.by };
  const before = finishReport(mergePartials(...results.map((r) => r.before)), period);
  const afters = results.map((r) => r.after).filter((p): p is ReportPartial => p !== null);
  const byTicket = (a: { ticketId: string }, b: { ticketId: string }) => a.ticketId.localeCompare(b.ticketId);
  return {
    report: before,
    tickets: results.reduce((n, r) => n + r.tickets, 0),
    whatIf: request.proposed
      ? {
          before,
          after: finishReport(mergePartials(...afters), period),
          changes: results.flatMap((r) => r.changes).sort(byTicket),
          escalations: results.flatMap((r) => r.escalations).sort(byTicket),
        }
      : null,
  };
};

/** A period with more tickets than an answer in this process may fold. */
export class ReportTooLargeError extends Error {
  override readonly name = 'ReportTooLargeError';
  constructor(
    readonly tickets: number,
    readonly limit: number,
  ) {
    super(`the period holds ${tickets} tickets; an answer folds at most ${limit}`);
  }
}

/** Runs `work` over `items`, `width` at a time, results in order. */
const inBatches = async <T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>) => {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width)
    out.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  return out;
};

/**
 * The whole report in this process (the local runtime, the CLI, the HTTP answer in AWS for a
 * period of at most `maxTickets`; larger ones run on the Step Functions engine, a map iteration
 * per partition). The tickets are listed first, so a period too large is refused before any fold.
 */
export const runReport = async (
  source: ReportSourcePort,
  request: ReportRequest,
  maxTickets = Number.POSITIVE_INFINITY,
) => {
  const partitions = source.partitions(request.tenantId, request.from, request.to);
  // A few partitions at a time: a year is 1,460 of them.
  const listed = await inBatches(partitions, 16, (p) => source.ticketsIn(p, request.from, request.to));
  const total = listed.reduce((n, ids) => n + ids.length, 0);
  if (total > maxTickets) throw new ReportTooLargeError(total, maxTickets);
  const results = await inBatches(
    partitions.map((p, i) => [p, listed[i] ?? []] as const),
    8,
    ([p, ids]) => reportPartition(source, p, request, ids),
  );
  return combineResults(results, request);
};
