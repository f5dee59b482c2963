import type { ClockKind, InboundEvent, ReportDimension, TenantConfig } from '@heed/contracts';
import { followUpsFrom } from '../followup/model';
import { applyEvent, compareLogged, emptyTicket, type LoggedEvent, type TicketState } from '../projection';
import { type ClockStatus, isSlaAction, slaFrom } from '../sla/model';

/*
 * The SLA report (issue 18) reads each ticket once: its log folded by the SLA model into facts
 * (clocks and their outcome, escalations, satisfaction, reopens) and the dimensions it is grouped
 * by. Pure: the same facts for the report of what happened and for a what-if, which folds the
 * same log under another configuration with Heed's own escalation actions left out (the new
 * ladder re-derives them).
 */

/** One clock instance and what became of it, with the dimensions that are the clock's own. */
export interface ClockFact {
  readonly kind: ClockKind;
  readonly cycle: number;
  readonly rule: string;
  readonly status: ClockStatus;
  /** Minutes past the target (on the rule's hours), for a breached clock. */
  readonly breachMinutes: number | null;
  /** Elapsed on the rule's hours, pauses excluded (to its stop, or so far). */
  readonly elapsedMinutes: number;
  /** Start to stop on the wall clock; null while it runs. */
  readonly calendarMinutes: number | null;
  /** The assignee when the clock stopped (or now, while it runs). */
  readonly agent: string | null;
}

/** An escalation that fired: why, when, and for an SLA step its clock, cycle and step. */
export interface EscalationFact {
  readonly reason: string;
  readonly at: string;
  readonly clock?: ClockKind;
  readonly cycle?: number;
  readonly step?: number;
}

export interface TicketFacts {
  readonly ticketId: string;
  readonly openedAt: string;
  /** Dimensions of the ticket as it is at the report's instant (agent: its current assignee). */
  readonly dims: Readonly<Record<ReportDimension, string>>;
  readonly clocks: readonly ClockFact[];
  readonly escalations: readonly EscalationFact[];
  /** Satisfaction scores received, one per answer. */
  readonly scores: readonly number[];
  /** Surveys that went out (became due under the follow-up policy) and how many were answered. */
  readonly surveyed: number;
  readonly surveysAnswered: number;
  readonly reopened: boolean;
}

const NONE = '(none)';
const minutes = (ms: number): number => Math.round(ms / 600) / 100;

/** The ISO week of an instant, as `2026-W48` (weeks start on Monday, UTC). */
export const isoWeek = (at: string): string => {
  const d = new Date(at);
  // The week's Thursday names its year; its day of that year counts the weeks.
  const thursday = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7) + 3),
  );
  const week =
    1 + Math.floor((thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / (7 * 86_400_000));
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
};

export interface FactOptions {
  /**
   * A what-if: leave Heed's own escalation actions out of the log; the proposed ladder takes its
   * own (and they count here as if logged), so a raise the old ladder made changes nothing.
   */
  readonly rederive?: boolean;
}

/**
 * The facts of one ticket at `now` under `config`, or null when the log never opened it. `events`
 * is the ticket's whole log, in any order.
 */
export const ticketFacts = (
  events: readonly LoggedEvent[],
  config: TenantConfig,
  now: Date,
  options: FactOptions = {},
): TicketFacts | null => {
  const log = (options.rederive ? events.filter((e) => !isSlaAction(e)) : [...events]).sort(compareLogged);
  const first = log[0];
  if (!first) return null;
  const model = slaFrom(null, log, config, now).model;
  const followUps = followUpsFrom(null, log, config, now).model;
  const surveyed = followUps.followUps.filter((f) => f.kind === 'survey' && f.status === 'due').length;
  // The ticket as the model saw it: the log and the actions the model took itself.
  const taken: LoggedEvent[] = model.actions.map((a) => ({ event: a.event, actor: 'heed' }));
  const all = [...log, ...taken].sort(compareLogged);
  const nowMs = now.getTime();
  let ticket: TicketState = emptyTicket('', first.event.ticketId, '');
  const assignments: { at: number; agent: string }[] = [];
  const scores: number[] = [];
  for (const { event } of all) {
    if (Date.parse(event.occurredAt) > nowMs) break;
    ticket = applyEvent(ticket, event as InboundEvent);
    if (event.type === 'ticket.assigned' && event.data.agentId)
      assignments.push({ at: Date.parse(event.occurredAt), agent: event.data.agentId });
    if (event.type === 'feedback.received') scores.push(event.data.score);
  }
  if (!ticket.opened || !ticket.openedAt) return null;
  const agentAt = (ms: number): string | null => {
    let agent: string | null = null;
    for (const a of assignments) if (a.at <= ms) agent = a.agent;
    return agent;
  };
  const clocks: ClockFact[] = model.clocks.map((c) => {
    const stopped = c.stoppedAt === null ? null : Date.parse(c.stoppedAt);
    return {
      kind: c.kind,
      cycle: c.cycle,
      rule: c.rule,
      status: c.status,
      breachMinutes:
        c.status === 'breached'
          ? Math.max(0, Math.round((c.elapsedMinutes - c.targetMinutes) * 100) / 100)
          : null,
      elapsedMinutes: c.elapsedMinutes,
      calendarMinutes: stopped === null ? null : minutes(stopped - Date.parse(c.startedAt)),
      agent: agentAt(stopped ?? nowMs),
    };
  });
  return {
    ticketId: ticket.ticketId,
    openedAt: ticket.openedAt,
    dims: {
      rule: model.rule ?? NONE,
      priority: ticket.priority,
      channel: ticket.channel ?? NONE,
      group: ticket.assignee.groupId ?? NONE,
      agent: ticket.assignee.agentId ?? NONE,
      tier: ticket.customer?.tier ?? NONE,
      week: isoWeek(ticket.openedAt),
    },
    clocks,
    escalations: model.escalations.map((e) => ({
      reason: e.reason,
      at: e.at,
      ...(e.reason === 'sla' && { clock: e.clock, cycle: e.cycle, step: e.step }),
    })),
    scores,
    surveyed,
    surveysAnswered: new Set(followUps.answers.map((a) => a.cycle)).size,
    reopened: ticket.reopenCount > 0,
  };
};
