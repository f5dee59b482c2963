import type { ClockKind, ReportDimension } from '@heed/contracts';
import type { ClockFact, TicketFacts } from './facts';

/*
 * Report groups as mergeable partials: a worker folds the tickets of one index partition into a
 * partial, partials merge (sums and value histograms, so the percentiles of the whole are exact),
 * and `finishReport` turns the merged partial into the JSON contract. The same three functions
 * run in-process locally and across a Step Functions map in AWS.
 */

type Histogram = Record<string, number>;

interface ClockAcc {
  started: number;
  met: number;
  breached: number;
  running: number;
  cancelled: number;
  breachMinutes: Histogram;
}

interface GroupAcc {
  key: Record<string, string>;
  tickets: number;
  clocks: Partial<Record<ClockKind, ClockAcc>>;
  escalations: Record<string, number>;
  csatAnswered: number;
  csatSum: number;
  surveyed: number;
  surveysAnswered: number;
  reopened: number;
  /** First responses (cycle 1): minutes on the rule's hours and on the wall clock. */
  firstResponseBusiness: Histogram;
  firstResponseCalendar: Histogram;
}

/** A report in progress: groups by their key's JSON. */
export interface ReportPartial {
  readonly groups: Record<string, GroupAcc>;
}

export const emptyPartial = (): ReportPartial => ({ groups: {} });

const groupOf = (partial: ReportPartial, key: Record<string, string>): GroupAcc => {
  const id = JSON.stringify(key);
  partial.groups[id] ??= {
    key,
    tickets: 0,
    clocks: {},
    escalations: {},
    csatAnswered: 0,
    csatSum: 0,
    surveyed: 0,
    surveysAnswered: 0,
    reopened: 0,
    firstResponseBusiness: {},
    firstResponseCalendar: {},
  };
  return partial.groups[id];
};

const count = (h: Histogram, value: number): void => {
  const k = String(value);
  h[k] = (h[k] ?? 0) + 1;
};

const keyOf = (by: readonly ReportDimension[], dims: Readonly<Record<ReportDimension, string>>) =>
  Object.fromEntries(by.map((d) => [d, dims[d]]));

/** The clock's own dimensions over the ticket's: its rule, and its assignee when it stopped. */
const clockDims = (t: TicketFacts, c: ClockFact): Readonly<Record<ReportDimension, string>> => ({
  ...t.dims,
  rule: c.rule,
  agent: c.agent ?? '(none)',
});

const clockAccOf = (g: GroupAcc, kind: ClockKind): ClockAcc => {
  g.clocks[kind] ??= { started: 0, met: 0, breached: 0, running: 0, cancelled: 0, breachMinutes: {} };
  return g.clocks[kind];
};

const addClock = (g: GroupAcc, c: ClockFact): void => {
  const acc = clockAccOf(g, c.kind);
  acc.started++;
  if (c.status === 'met') acc.met++;
  else if (c.status === 'breached') acc.breached++;
  else if (c.status === 'cancelled') acc.cancelled++;
  else acc.running++;
  if (c.breachMinutes !== null) count(acc.breachMinutes, c.breachMinutes);
  if (
    c.kind === 'first_response' &&
    c.cycle === 1 &&
    c.calendarMinutes !== null &&
    c.status !== 'cancelled'
  ) {
    count(g.firstResponseBusiness, c.elapsedMinutes);
    count(g.firstResponseCalendar, c.calendarMinutes);
  }
};

/**
 * Adds one ticket to the whole-period group (empty key) and to its group by `by`. Ticket counts
 * go by the ticket's dimensions; each clock goes by its own (its rule, its assignee when stopped).
 */
export const accumulate = (partial: ReportPartial, t: TicketFacts, by: readonly ReportDimension[]): void => {
  const keys = by.length === 0 ? [[] as ReportDimension[]] : [[] as ReportDimension[], by];
  for (const dims of keys) {
    const g = groupOf(partial, keyOf(dims, t.dims));
    g.tickets++;
    for (const { reason } of t.escalations) g.escalations[reason] = (g.escalations[reason] ?? 0) + 1;
    g.csatAnswered += t.scores.length;
    g.csatSum += t.scores.reduce((a, b) => a + b, 0);
    g.surveyed += t.surveyed;
    g.surveysAnswered += t.surveysAnswered;
    if (t.reopened) g.reopened++;
    for (const c of t.clocks) addClock(groupOf(partial, keyOf(dims, clockDims(t, c))), c);
  }
};

const mergeHist = (into: Histogram, from: Histogram): void => {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
};

/** Partials as one, in one pass (the order does not matter; none of them is changed). */
export const mergePartials = (...parts: readonly ReportPartial[]): ReportPartial => {
  const out = emptyPartial();
  for (const part of parts)
    for (const g of Object.values(part.groups)) {
      const into = groupOf(out, g.key);
      into.tickets += g.tickets;
      into.csatAnswered += g.csatAnswered;
      into.csatSum += g.csatSum;
      into.surveyed += g.surveyed;
      into.surveysAnswered += g.surveysAnswered;
      into.reopened += g.reopened;
      mergeHist(into.escalations, g.escalations);
      mergeHist(into.firstResponseBusiness, g.firstResponseBusiness);
      mergeHist(into.firstResponseCalendar, g.firstResponseCalendar);
      for (const [kind, c] of Object.entries(g.clocks) as [ClockKind, ClockAcc][]) {
        const acc = clockAccOf(into, kind);
        acc.started += c.started;
        acc.met += c.met;
        acc.breached += c.breached;
        acc.running += c.running;
        acc.cancelled += c.cancelled;
        mergeHist(acc.breachMinutes, c.breachMinutes);
      }
    }
  return out;
};

/** The nearest-rank percentile of a histogram's values; null when it is empty. */
export const percentile = (h: Histogram, p: number): number | null => {
  const values = Object.entries(h)
    .map(([k, n]) => [Number(k), n] as const)
    .sort((x, y) => x[0] - y[0]);
  const total = values.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [v, n] of values) {
    seen += n;
    if (seen >= rank) return v;
  }
  return null;
};

const percent = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 10;

export interface ClockReport {
  readonly started: number;
  readonly met: number;
  readonly breached: number;
  readonly running: number;
  readonly cancelled: number;
  /** Met of the clocks that reached an outcome (met or breached); null when none did. */
  readonly metPercent: number | null;
  readonly breachMinutes: { readonly p50: number | null; readonly p90: number | null };
}

export interface ReportGroup {
  readonly key: Readonly<Record<string, string>>;
  readonly tickets: number;
  readonly clocks: Readonly<Partial<Record<ClockKind, ClockReport>>>;
  readonly escalations: Readonly<Record<string, number>>;
  readonly csat: {
    readonly answered: number;
    readonly average: number | null;
    readonly surveyed: number;
    /** Percent of the surveys that went out that were answered; null when none went out. */
    readonly answerRate: number | null;
  };
  readonly reopened: number;
  /** Of the tickets in the group; null for a group of clocks only (no ticket has its key). */
  readonly reopenRate: number | null;
  readonly firstResponse: {
    readonly answered: number;
    readonly businessMinutes: { readonly p50: number | null; readonly p90: number | null };
    readonly calendarMinutes: { readonly p50: number | null; readonly p90: number | null };
  };
}

export interface SlaReport {
  readonly from: string;
  readonly to: string;
  readonly by: readonly ReportDimension[];
  readonly groups: readonly ReportGroup[];
}

const compareKeys = (a: GroupAcc, b: GroupAcc): number => {
  const ka = Object.values(a.key);
  const kb = Object.values(b.key);
  if (ka.length !== kb.length) return ka.length - kb.length;
  return ka.join('\u0000').localeCompare(kb.join('\u0000'));
};

/** The report as other tools read it: the whole period first, then each group by key. */
export const finishReport = (
  partial: ReportPartial,
  period: { readonly from: string; readonly to: string; readonly by: readonly ReportDimension[] },
): SlaReport => {
  if (!partial.groups['{}']) groupOf(partial, {});
  const groups = Object.values(partial.groups)
    .sort(compareKeys)
    .map(
      (g): ReportGroup => ({
        key: g.key,
        tickets: g.tickets,
        clocks: Object.fromEntries(
          (Object.entries(g.clocks) as [ClockKind, ClockAcc][]).map(([kind, c]) => [
            kind,
            {
              started: c.started,
              met: c.met,
              breached: c.breached,
              running: c.running,
              cancelled: c.cancelled,
              metPercent: percent(c.met, c.met + c.breached),
              breachMinutes: { p50: percentile(c.breachMinutes, 50), p90: percentile(c.breachMinutes, 90) },
            },
          ]),
        ),
        escalations: g.escalations,
        csat: {
          answered: g.csatAnswered,
          average: g.csatAnswered === 0 ? null : Math.round((g.csatSum / g.csatAnswered) * 100) / 100,
          surveyed: g.surveyed,
          answerRate: percent(g.surveysAnswered, g.surveyed),
        },
        reopened: g.reopened,
        reopenRate: g.tickets === 0 ? null : percent(g.reopened, g.tickets),
        firstResponse: {
          answered: Object.values(g.firstResponseCalendar).reduce((a, b) => a + b, 0),
          businessMinutes: {
            p50: percentile(g.firstResponseBusiness, 50),
            p90: percentile(g.firstResponseBusiness, 90),
          },
          calendarMinutes: {
            p50: percentile(g.firstResponseCalendar, 50),
            p90: percentile(g.firstResponseCalendar, 90),
          },
        },
      }),
    );
  return { from: period.from, to: period.to, by: period.by, groups };
};

/** A clock whose outcome a what-if changes (statuses as in the read API; `absent`: no such clock). */
export interface OutcomeChange {
  readonly ticketId: string;
  readonly clock: ClockKind;
  readonly cycle: number;
  readonly before: string;
  readonly after: string;
}

/** The clocks of one ticket whose status differs between two folds. */
export const changesOf = (before: TicketFacts | null, after: TicketFacts | null): OutcomeChange[] => {
  const ticketId = before?.ticketId ?? after?.ticketId ?? '';
  const index = (t: TicketFacts | null) => new Map((t?.clocks ?? []).map((c) => [`${c.kind}#${c.cycle}`, c]));
  const b = index(before);
  const a = index(after);
  const out: OutcomeChange[] = [];
  for (const id of new Set([...b.keys(), ...a.keys()])) {
    const x = b.get(id);
    const y = a.get(id);
    const c = (x ?? y) as ClockFact;
    const was = x?.status ?? 'absent';
    const is = y?.status ?? 'absent';
    if (was !== is) out.push({ ticketId, clock: c.kind, cycle: c.cycle, before: was, after: is });
  }
  return out;
};
