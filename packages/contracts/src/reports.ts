import { z } from 'zod';
import { CLOCK_KINDS } from './tenant-config';
import type { FieldIssue, Validation } from './validation';

/*
 * The SLA report's contract: the query (`from`, `to`, `by`) and the JSON other tools read.
 * The CLI, the HTTP routes and the Step Functions engine all answer these shapes.
 */

export const REPORT_DIMENSIONS = ['rule', 'priority', 'channel', 'group', 'agent', 'tier', 'week'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** The longest period one report covers (a year and a day, so a leap year fits). */
export const MAX_REPORT_DAYS = 367;

export interface ReportQuery {
  readonly from: Date;
  readonly to: Date;
  readonly by: readonly ReportDimension[];
}

/**
 * A period's bound: a date (`2026-11-01`: its first instant; as `to`, the whole day is in) or an
 * RFC 3339 instant.
 */
const boundOf = (value: string, end: boolean): Date | null => {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  if (!day && !z.iso.datetime({ offset: true }).safeParse(value).success) return null;
  const t = Date.parse(day ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(t)) return null;
  return new Date(day && end ? t + 86_400_000 : t);
};

/**
 * `from`, `to` and `by` as a query string or CLI flags give them: every offending one named.
 * `to` defaults to `now`, `from` to 30 days before `to`.
 */
export const parseReportQuery = (
  input: {
    readonly from?: string | undefined;
    readonly to?: string | undefined;
    readonly by?: string | undefined;
  },
  now: Date,
): Validation<ReportQuery> => {
  const issues: FieldIssue[] = [];
  const to = input.to === undefined ? now : boundOf(input.to, true);
  if (!to) issues.push({ path: 'to', message: 'must be a date (2026-11-30) or an RFC 3339 instant' });
  const from =
    input.from === undefined
      ? to
        ? new Date(to.getTime() - 30 * 86_400_000)
        : null
      : boundOf(input.from, false);
  if (!from) issues.push({ path: 'from', message: 'must be a date (2026-11-01) or an RFC 3339 instant' });
  if (from && to && from >= to) issues.push({ path: 'from', message: 'must be before to' });
  if (from && to && to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000)
    issues.push({ path: 'to', message: `a report covers at most ${MAX_REPORT_DAYS} days` });
  const by = (input.by ?? '').split(',').filter(Boolean);
  const unknown = by.filter((d) => !(REPORT_DIMENSIONS as readonly string[]).includes(d));
  if (unknown.length > 0)
    issues.push({ path: 'by', message: `takes ${REPORT_DIMENSIONS.join(', ')}; not ${unknown.join(', ')}` });
  if (new Set(by).size !== by.length) issues.push({ path: 'by', message: 'names a dimension twice' });
  return issues.length > 0 || !from || !to
    ? { ok: false, issues }
    : { ok: true, value: { from, to, by: by as ReportDimension[] } };
};

const percentiles = z.object({ p50: z.number().nullable(), p90: z.number().nullable() }).strict();
const count = z.number().int().nonnegative();

const ClockReportSchema = z
  .object({
    started: count,
    met: count,
    breached: count,
    running: count.meta({ description: 'Running or paused at the report’s instant.' }),
    cancelled: count,
    metPercent: z.number().nullable().meta({
      description: 'Met of the clocks that reached an outcome (met or breached); null when none did.',
    }),
    breachMinutes: percentiles.meta({
      description: 'Minutes past the target of the breached clocks, on the rule’s hours.',
    }),
  })
  .strict();

export const ReportGroupSchema = z
  .object({
    key: z.record(z.string(), z.string()).meta({
      description: 'The group’s value of each `by` dimension; `{}` is the whole period.',
    }),
    tickets: count.meta({
      description: 'Tickets opened in the period with this key (agent: the current assignee).',
    }),
    clocks: z
      .object(Object.fromEntries(CLOCK_KINDS.map((k) => [k, ClockReportSchema.optional()])))
      .strict()
      .meta({
        description:
          'By clock kind, as the read API spells them; a clock counts by its own rule and by the assignee when it stopped.',
      }),
    escalations: z.record(z.string(), count).meta({ description: 'By reason: sla, transfers, low-csat.' }),
    csat: z
      .object({
        answered: count.meta({ description: 'Satisfaction scores received.' }),
        average: z.number().nullable(),
        surveyed: count.meta({ description: 'Surveys that went out (due under the follow-up policy).' }),
        answerRate: z.number().nullable().meta({ description: 'Percent of those surveys answered.' }),
      })
      .strict(),
    reopened: count,
    reopenRate: z.number().nullable().meta({ description: 'Percent of the group’s tickets reopened.' }),
    firstResponse: z
      .object({ answered: count, businessMinutes: percentiles, calendarMinutes: percentiles })
      .strict()
      .meta({
        description:
          'First responses (cycle 1): on the rule’s hours (pauses excluded) and on the wall clock.',
      }),
  })
  .strict()
  .meta({ id: 'ReportGroup' });

export const SlaReportSchema = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }).meta({ description: 'Exclusive.' }),
    by: z.array(z.enum(REPORT_DIMENSIONS)),
    groups: z.array(ReportGroupSchema),
  })
  .strict()
  .meta({ id: 'SlaReport' });

export const WhatIfSchema = z
  .object({
    before: SlaReportSchema,
    after: SlaReportSchema,
    changes: z.array(
      z
        .object({
          ticketId: z.string(),
          clock: z.enum(CLOCK_KINDS),
          cycle: z.number().int().positive(),
          before: z.string().meta({ description: 'A read API status, or `absent` (no such clock).' }),
          after: z.string(),
        })
        .strict(),
    ),
    escalations: z
      .array(z.object({ ticketId: z.string(), reason: z.string(), at: z.string() }).catchall(z.unknown()))
      .meta({ description: 'The escalations the proposed configuration would have made.' }),
  })
  .strict()
  .meta({ id: 'WhatIf' });
