import {
  type ClockKind,
  type EscalationStep,
  type InboundEvent,
  PRIORITIES,
  type Priority,
  type SlaRule,
  type TenantConfig,
  type TicketStatus,
} from '@heed/contracts';
import { addTimeMs, type BusinessCalendar, type HoursMode, timeBetweenMs } from '../calendar';
import { heedEventId } from '../heed-ids';
import { applyEvent, emptyTicket, type LoggedEvent, type TicketState } from '../projection';
import { matchRule } from '../promise';
import { CheckpointMismatchError, type FoldLook, foldTimed } from '../timed-fold';

/**
 * The SLA state of a ticket as a pure fold of its log (DESIGN §5.1): `slaOf(events, config, now)`.
 * Nothing here reads a clock or stores anything; late or out-of-order events simply re-fold.
 *
 * Vocabulary: a clock instance (`kind`, `cycle`) counts elapsed time on its rule's calendar, in
 * business or calendar hours, minus pauses. Thresholds on that elapsed time (warning, breach,
 * the escalation ladder's steps) are "crossed" at an instant; crossings are what the SLA service
 * announces, each once, with the instant the model gives it.
 */

const MINUTE = 60_000;
/** Minutes as people read them: whole, or to two decimals (no float noise like 12.516666666666667). */
const minutesOf = (ms: number): number => Math.round((ms / MINUTE) * 100) / 100;

const TARGET_OF: Record<ClockKind, keyof SlaRule['targets']> = {
  first_response: 'firstResponse',
  next_response: 'nextResponse',
  resolution: 'resolution',
};

export type ClockStatus = 'running' | 'paused' | 'met' | 'breached' | 'cancelled';

/** One clock instance as the read API shows it (DESIGN §5.1). */
export interface ClockView {
  readonly kind: ClockKind;
  readonly cycle: number;
  readonly rule: string;
  readonly targetMinutes: number;
  readonly hours: HoursMode;
  readonly calendar: string;
  readonly startedAt: string;
  /** When elapsed reaches the target; null while paused or stopped. */
  readonly dueAt: string | null;
  readonly elapsedMinutes: number;
  readonly status: ClockStatus;
  readonly warnedAt: string | null;
  readonly breachedAt: string | null;
  readonly stoppedAt: string | null;
}

export interface EscalationActions {
  readonly notify: readonly string[];
  readonly raisePriority: boolean;
  readonly assignGroup: string | null;
}

/** What a step's actions did, as recorded when it fired (a raise of an urgent ticket does nothing). */
export interface EscalationApplied {
  readonly priority: { readonly from: string; readonly to: string } | null;
  readonly group: { readonly from: string | null; readonly to: string } | null;
}

export type Escalation =
  | {
      readonly reason: 'sla';
      readonly clock: ClockKind;
      readonly cycle: number;
      /** 1-based position of the step in the ladder in force when it fired. */
      readonly step: number;
      readonly offset: number;
      readonly at: string;
      readonly actions: EscalationActions;
      readonly applied: EscalationApplied;
    }
  | {
      readonly reason: 'transfers';
      readonly at: string;
      readonly transfers: number;
      readonly actions: EscalationActions;
    }
  | {
      /** A satisfaction score at or below `followUp.lowScore`. */
      readonly reason: 'low-csat';
      readonly at: string;
      readonly score: number;
      readonly comment: string | null;
      readonly actions: EscalationActions;
    };

interface CrossingBase {
  /** Stable identity of the crossing within the ticket (emitted once). */
  readonly key: string;
  readonly at: string;
}
export type Crossing =
  | (CrossingBase & {
      readonly type: 'warning' | 'breach';
      readonly clock: ClockKind;
      readonly cycle: number;
      readonly rule: string;
      readonly targetMinutes: number;
      readonly dueAt: string;
    })
  | (CrossingBase & {
      readonly type: 'met';
      readonly clock: ClockKind;
      readonly cycle: number;
      readonly rule: string;
      readonly targetMinutes: number;
      readonly elapsedMinutes: number;
    })
  | (CrossingBase & { readonly type: 'escalation'; readonly escalation: Escalation });

/** An event Heed must append to the ticket's log (a step's priority raise or group change). */
export interface HeedAction {
  readonly event: InboundEvent;
}

export interface SlaModel {
  /** The rule in force now; null before the ticket is opened. */
  readonly rule: string | null;
  readonly clocks: readonly ClockView[];
  readonly escalations: readonly Escalation[];
  /** Every crossing up to now, in order. */
  readonly crossings: readonly Crossing[];
  /** Actions the model took that are not in the log yet. */
  readonly actions: readonly HeedAction[];
  /** The earliest future crossing: when the SLA service must look again, absent new events. */
  readonly nextWakeUp: string | null;
}

interface Clock {
  readonly kind: ClockKind;
  readonly cycle: number;
  readonly startedAt: number;
  rule: SlaRule;
  calendar: BusinessCalendar;
  /** Counted milliseconds as of `asOf`. */
  elapsed: number;
  asOf: number;
  paused: boolean;
  stoppedAt: number | null;
  final: 'met' | 'breached' | 'cancelled' | null;
  warnedAt: number | null;
  breachedAt: number | null;
  readonly fired: Set<number>;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const isDone = (status: TicketStatus): boolean => status === 'solved' || status === 'closed';
const nextPriority = (p: Priority): Priority | null => PRIORITIES[PRIORITIES.indexOf(p) + 1] ?? null;
/** Heed's own SLA actions in a log (a step's priority raise or group move): ids `heed:…:sla:…`. */
export const isSlaAction = (entry: LoggedEvent): boolean =>
  entry.actor === 'heed' && entry.event.id.includes(':sla:');

type Threshold =
  | { readonly type: 'warning' | 'breach'; readonly ms: number }
  | { readonly type: 'step'; readonly ms: number; readonly step: EscalationStep; readonly index: number };

class SlaFold {
  ticket: TicketState;
  readonly clocks: Clock[] = [];
  readonly cycles: Record<ClockKind, number> = { first_response: 0, next_response: 0, resolution: 0 };
  /** A public agent message is the last word: the customer's next message starts a reply clock. */
  awaitingCustomer = false;
  rule: SlaRule | null = null;
  transfersEscalated = false;
  /** Times the ticket was solved: the survey cycle a feedback answers when it does not say. */
  solves = 0;
  readonly lowScoreCycles = new Set<number>();
  readonly crossings: Crossing[] = [];
  readonly escalations: Escalation[] = [];
  readonly actions: HeedAction[] = [];
  /** Ids of Heed's SLA actions in the log, with their instant. */
  readonly loggedActions = new Map<string, number>();
  /** Set while a step with `retarget: false` acts: its raise does not re-target running clocks. */
  holdRules = false;
  /** Logged actions applied in their step's round (not again as plain facts). */
  readonly usedActions = new Set<string>();

  constructor(
    readonly config: TenantConfig,
    readonly ticketId: string,
  ) {
    this.ticket = emptyTicket('', ticketId, '');
  }

  // ---- rules and thresholds ----

  ruleFor(ticket: TicketState): SlaRule {
    return matchRule(this.config, {
      priority: ticket.priority,
      channel: ticket.channel,
      tier: ticket.customer?.tier,
    });
  }

  calendarOf(rule: SlaRule): BusinessCalendar {
    const calendar = this.config.calendars[rule.calendar];
    if (!calendar) throw new Error(`SLA rule ${rule.name} names a missing calendar ${rule.calendar}`);
    return calendar;
  }

  target(c: Clock): number {
    return c.rule.targets[TARGET_OF[c.kind]] * MINUTE;
  }

  ladder(c: Clock): readonly EscalationStep[] {
    return c.rule.escalation ?? this.config.sla.escalation;
  }

  thresholds(c: Clock): Threshold[] {
    const target = this.target(c);
    const out: Threshold[] = [];
    if (c.warnedAt === null && c.breachedAt === null)
      out.push({ type: 'warning', ms: Math.round(this.config.sla.warnAt * target) });
    if (c.breachedAt === null) out.push({ type: 'breach', ms: target });
    this.ladder(c).forEach((step, index) => {
      if (c.fired.has(step.offset) || (step.clocks && !step.clocks.includes(c.kind))) return;
      out.push({ type: 'step', ms: Math.max(0, target + step.offset * MINUTE), step, index });
    });
    return out;
  }

  counting(c: Clock): boolean {
    return c.stoppedAt === null && !c.paused;
  }

  advance(c: Clock, t: number): void {
    if (t <= c.asOf) return;
    if (this.counting(c)) c.elapsed += timeBetweenMs(c.rule.hours, c.calendar, c.asOf, t);
    c.asOf = t;
  }

  advanceAll(t: number): void {
    for (const c of this.clocks) this.advance(c, t);
  }

  /** When this clock next crosses a threshold, if nothing happens meanwhile. */
  nextCrossing(c: Clock): number | null {
    if (!this.counting(c)) return null;
    let next: number | null = null;
    for (const th of this.thresholds(c)) {
      if (th.ms <= c.elapsed) continue;
      const at = addTimeMs(c.rule.hours, c.calendar, c.asOf, th.ms - c.elapsed);
      if (next === null || at < next) next = at;
    }
    return next;
  }

  nextCrossingOfAll(): number | null {
    let next: number | null = null;
    for (const c of this.clocks) {
      const at = this.nextCrossing(c);
      if (at !== null && (next === null || at < next)) next = at;
    }
    return next;
  }

  // ---- clocks ----

  start(kind: ClockKind, t: number): void {
    const rule = this.rule ?? this.ruleFor(this.ticket);
    this.cycles[kind] += 1;
    this.clocks.push({
      kind,
      cycle: this.cycles[kind],
      startedAt: t,
      rule,
      calendar: this.calendarOf(rule),
      elapsed: 0,
      asOf: t,
      paused: this.config.sla.pauseOn.includes(this.ticket.status as 'pending' | 'on_hold'),
      stoppedAt: null,
      final: null,
      warnedAt: null,
      breachedAt: null,
      fired: new Set(),
    });
  }

  running(kind: ClockKind): Clock | undefined {
    return this.clocks.find((c) => c.kind === kind && c.stoppedAt === null);
  }

  replyClock(): Clock | undefined {
    return this.running('first_response') ?? this.running('next_response');
  }

  /**
   * Stops a clock. A reply or a resolution ends it met (elapsed within the target, a reply at
   * the due instant included) or breached; a reply clock ended by solving without a reply is
   * cancelled, unless it had already breached.
   */
  stop(c: Clock, t: number, how: 'answered' | 'settled'): void {
    this.advance(c, t);
    c.stoppedAt = t;
    const answered = how === 'answered' || c.kind === 'resolution';
    c.final = c.breachedAt !== null ? 'breached' : answered ? 'met' : 'cancelled';
    if (c.final === 'met') {
      this.crossings.push({
        key: `${c.kind}:${c.cycle}:met`,
        type: 'met',
        at: iso(t),
        clock: c.kind,
        cycle: c.cycle,
        rule: c.rule.name,
        targetMinutes: minutesOf(this.target(c)),
        elapsedMinutes: minutesOf(c.elapsed),
      });
    }
  }

  // ---- events ----

  /** Applies one event at `t`: the ticket's projection, then what it means for the clocks. */
  apply(event: InboundEvent, t: number): void {
    const before = this.ticket;
    const after = applyEvent(before, event);
    this.ticket = after;
    if (!after.opened) return;
    if (!before.opened) {
      this.rule = this.ruleFor(after);
      if (after.createdBy === 'customer') this.start('first_response', t);
      this.start('resolution', t);
      // An agent-created ticket: its opening is the agent's public message.
      this.awaitingCustomer = after.createdBy === 'agent';
      return;
    }
    if (event.type === 'customer.replied' && !isDone(after.status)) {
      if (this.awaitingCustomer && !this.replyClock()) this.start('next_response', t);
      this.awaitingCustomer = false;
    }
    if (event.type === 'agent.replied' && event.data.public) {
      const reply = this.replyClock();
      if (reply) this.stop(reply, t, 'answered');
      this.awaitingCustomer = true;
    }
    if (event.type === 'feedback.received') this.feedback(event, t);
    if (before.status !== 'solved' && after.status === 'solved') this.solves += 1;
    if (!isDone(before.status) && isDone(after.status)) {
      for (const c of this.clocks) if (c.stoppedAt === null) this.stop(c, t, 'settled');
    } else if (isDone(before.status) && !isDone(after.status)) {
      // A reopen: a new resolution cycle, and the next-response promise its acknowledgement makes.
      this.start('resolution', t);
      if (!this.replyClock()) this.start('next_response', t);
      this.awaitingCustomer = false;
    }
    const paused = this.config.sla.pauseOn.includes(after.status as 'pending' | 'on_hold');
    for (const c of this.clocks) if (c.stoppedAt === null) c.paused = paused;
    if (
      !this.transfersEscalated &&
      after.transfers > before.transfers &&
      after.transfers > this.config.sla.maxTransfers
    ) {
      this.transfersEscalated = true;
      const escalation: Escalation = {
        reason: 'transfers',
        at: iso(t),
        transfers: after.transfers,
        actions: { notify: [...this.config.sla.transferNotify], raisePriority: false, assignGroup: null },
      };
      this.escalations.push(escalation);
      this.crossings.push({ key: 'transfers', type: 'escalation', at: iso(t), escalation });
    }
    // Re-targeting keeps the elapsed time and applies the new rule from now on.
    // A step with `retarget: false` changes the rule for clocks started from now on only.
    const rule = this.ruleFor(after);
    if (this.rule?.name !== rule.name) {
      this.rule = rule;
      for (const c of this.clocks) {
        if (c.stoppedAt !== null || this.holdRules) continue;
        c.rule = rule;
        c.calendar = this.calendarOf(rule);
      }
    }
  }

  /** A score at or below `followUp.lowScore` escalates, once per survey cycle. */
  feedback(event: Extract<InboundEvent, { type: 'feedback.received' }>, t: number): void {
    const cycle = event.data.surveyCycle ?? Math.max(1, this.solves);
    if (event.data.score > this.config.followUp.lowScore || this.lowScoreCycles.has(cycle)) return;
    this.lowScoreCycles.add(cycle);
    const escalation: Escalation = {
      reason: 'low-csat',
      at: iso(t),
      score: event.data.score,
      comment: event.data.comment ?? null,
      actions: { notify: [...this.config.followUp.lowScoreNotify], raisePriority: false, assignGroup: null },
    };
    this.escalations.push(escalation);
    this.crossings.push({ key: `low-csat:${cycle}`, type: 'escalation', at: iso(t), escalation });
  }

  /**
   * The crossings at `t`, in rounds: every threshold reached against the rules in force, then
   * the actions of the steps that fired (which may re-target), then what that causes at the same
   * instant, until nothing more happens. A breach reached together with its warning is only a
   * breach.
   */
  rounds(t: number): void {
    for (let round = 0; round < 100; round++) {
      this.advanceAll(t);
      const actions: { id: string; make: () => InboundEvent | null; holdRules?: boolean }[] = [];
      let fired = false;
      for (const c of this.clocks) {
        if (c.stoppedAt !== null) continue;
        const due = this.thresholds(c).filter((th) => th.ms <= c.elapsed);
        if (due.length === 0) continue;
        fired = true;
        const base = {
          clock: c.kind,
          cycle: c.cycle,
          rule: c.rule.name,
          targetMinutes: minutesOf(this.target(c)),
        };
        if (due.some((th) => th.type === 'breach')) {
          c.breachedAt = t;
          this.crossings.push({
            key: `${c.kind}:${c.cycle}:breach`,
            type: 'breach',
            at: iso(t),
            dueAt: iso(t),
            ...base,
          });
        } else if (due.some((th) => th.type === 'warning')) {
          c.warnedAt = t;
          const dueAt = addTimeMs(c.rule.hours, c.calendar, t, this.target(c) - c.elapsed);
          this.crossings.push({
            key: `${c.kind}:${c.cycle}:warning`,
            type: 'warning',
            at: iso(t),
            dueAt: iso(dueAt),
            ...base,
          });
        }
        for (const th of due) {
          if (th.type !== 'step') continue;
          const { step } = th;
          c.fired.add(step.offset);
          const applied: { -readonly [K in keyof EscalationApplied]: EscalationApplied[K] } = {
            priority: null,
            group: null,
          };
          const escalation: Escalation = {
            reason: 'sla',
            clock: c.kind,
            cycle: c.cycle,
            step: th.index + 1,
            offset: step.offset,
            at: iso(t),
            actions: {
              notify: [...(step.notify ?? [])],
              raisePriority: step.raisePriority === true,
              assignGroup: step.assignGroup ?? null,
            },
            applied,
          };
          this.escalations.push(escalation);
          this.crossings.push({
            key: `${c.kind}:${c.cycle}:step:${step.offset}`,
            type: 'escalation',
            at: iso(t),
            escalation,
          });
          const parts = ['sla', c.kind, c.cycle, step.offset];
          if (step.raisePriority) {
            const id = heedEventId(this.ticketId, ...parts, 'priority');
            actions.push({
              id,
              make: () => {
                const from = this.ticket.priority;
                const raised = nextPriority(from);
                if (!raised) return null;
                applied.priority = { from, to: raised };
                return this.heedEvent(id, t, 'ticket.priority_changed', { priority: raised });
              },
              holdRules: step.retarget === false,
            });
          }
          if (step.assignGroup) {
            const id = heedEventId(this.ticketId, ...parts, 'group');
            const groupId = step.assignGroup;
            actions.push({
              id,
              make: () => {
                const from = this.ticket.assignee.groupId;
                if (from === groupId) return null;
                applied.group = { from, to: groupId };
                return this.heedEvent(id, t, 'ticket.assigned', { groupId });
              },
            });
          }
        }
      }
      if (!fired) return;
      for (const action of actions) {
        this.holdRules = action.holdRules === true;
        this.act(action.id, t, action.make);
        this.holdRules = false;
      }
    }
  }

  /**
   * Takes an action at `t`. An action already in the log happened: at this instant it is applied
   * here (once); logged at another instant (history changed since), it stays a fact at its own
   * instant and is not taken again. Otherwise the model takes it and asks for it to be logged.
   */
  act(id: string, t: number, make: () => InboundEvent | null): void {
    const logged = this.loggedActions.get(id);
    if (logged !== undefined && logged !== t) return;
    const event = make();
    if (!event) return;
    if (logged === undefined) this.actions.push({ event });
    this.usedActions.add(id);
    this.apply(event, t);
  }

  heedEvent(id: string, t: number, type: string, data: Record<string, unknown>): InboundEvent {
    return { id, type, ticketId: this.ticketId, occurredAt: iso(t), data } as InboundEvent;
  }

  /** Moves time to `t`, crossing every threshold strictly before it at its own instant. */
  advanceUntil(t: number): void {
    for (let guard = 0; guard < 100_000; guard++) {
      const next = this.nextCrossingOfAll();
      if (next === null || next >= t) break;
      this.rounds(next);
    }
    this.advanceAll(t);
  }

  view(c: Clock, now: number): ClockView {
    const target = this.target(c);
    const status: ClockStatus =
      c.final ?? (c.breachedAt !== null ? 'breached' : c.paused ? 'paused' : 'running');
    const dueAt =
      c.stoppedAt !== null || c.paused
        ? null
        : c.breachedAt !== null
          ? iso(c.breachedAt)
          : iso(addTimeMs(c.rule.hours, c.calendar, Math.max(c.asOf, now), Math.max(0, target - c.elapsed)));
    return {
      kind: c.kind,
      cycle: c.cycle,
      rule: c.rule.name,
      targetMinutes: minutesOf(target),
      hours: c.rule.hours,
      calendar: c.rule.calendar,
      startedAt: iso(c.startedAt),
      dueAt,
      elapsedMinutes: minutesOf(c.elapsed),
      status,
      warnedAt: c.warnedAt === null ? null : iso(c.warnedAt),
      breachedAt: c.breachedAt === null ? null : iso(c.breachedAt),
      stoppedAt: c.stoppedAt === null ? null : iso(c.stoppedAt),
    };
  }
}

/**
 * Where a fold of a ticket's log can resume (DESIGN §6): the fold's state at instant `at`, after
 * every event and crossing before it, before that instant's events. Plain JSON, kept beside the
 * SLA timer item. What the fold no longer needs is left out, so it stays small however long the
 * ticket: stopped clocks, crossings (the service announced them before it stored this), Heed's
 * logged actions (consulted only at their own instant). Valid for the configuration it was made
 * under only.
 */
export interface SlaCheckpoint {
  readonly v: 1;
  /** Epoch ms: the events from this instant on are folded again (an instant's events fold together). */
  readonly at: number;
  /** How many events of the log lie before `at` (the actions of this look included): a log with more holds a late one. */
  readonly folded: number;
  readonly ticket: TicketState;
  readonly clocks: readonly {
    readonly kind: ClockKind;
    readonly cycle: number;
    readonly startedAt: number;
    readonly rule: string;
    readonly elapsed: number;
    readonly asOf: number;
    readonly paused: boolean;
    readonly warnedAt: number | null;
    readonly breachedAt: number | null;
    readonly fired: readonly number[];
  }[];
  readonly cycles: Readonly<Record<ClockKind, number>>;
  readonly awaitingCustomer: boolean;
  readonly rule: string | null;
  readonly transfersEscalated: boolean;
  readonly solves: number;
  readonly lowScoreCycles: readonly number[];
}

/** A fold's model, and where the next look resumes. */
export type SlaLook = FoldLook<SlaModel, SlaCheckpoint, SlaSettled>;

const ruleNamed = (config: TenantConfig, name: string): SlaRule => {
  const rule = config.sla.rules.find((r) => r.name === name);
  if (!rule) throw new CheckpointMismatchError(`the checkpoint names a rule ${name} the configuration lacks`);
  return rule;
};

const checkpointOf = (fold: SlaFold, at: number, folded: number): SlaCheckpoint => ({
  v: 1,
  at,
  folded: folded + fold.actions.length,
  ticket: fold.ticket,
  clocks: fold.clocks
    .filter((c) => c.stoppedAt === null)
    .map((c) => ({
      kind: c.kind,
      cycle: c.cycle,
      startedAt: c.startedAt,
      rule: c.rule.name,
      elapsed: c.elapsed,
      asOf: c.asOf,
      paused: c.paused,
      warnedAt: c.warnedAt,
      breachedAt: c.breachedAt,
      fired: [...c.fired],
    })),
  cycles: { ...fold.cycles },
  awaitingCustomer: fold.awaitingCustomer,
  rule: fold.rule?.name ?? null,
  transfersEscalated: fold.transfersEscalated,
  solves: fold.solves,
  lowScoreCycles: [...fold.lowScoreCycles],
});

const restore = (fold: SlaFold, from: SlaCheckpoint): void => {
  fold.ticket = from.ticket;
  for (const c of from.clocks) {
    const rule = ruleNamed(fold.config, c.rule);
    fold.clocks.push({
      ...c,
      rule,
      calendar: fold.calendarOf(rule),
      stoppedAt: null,
      final: null,
      fired: new Set(c.fired),
    });
  }
  Object.assign(fold.cycles, from.cycles);
  fold.awaitingCustomer = from.awaitingCustomer;
  fold.rule = from.rule === null ? null : ruleNamed(fold.config, from.rule);
  fold.transfersEscalated = from.transfersEscalated;
  fold.solves = from.solves;
  for (const n of from.lowScoreCycles) fold.lowScoreCycles.add(n);
};

/**
 * The SLA state of a ticket at `now` (see `slaOf`), folded from a checkpoint: `events` are the
 * log's events from `from.at` on (all of them without a checkpoint). The model holds only the
 * crossings after the checkpoint, and the clocks it kept; given the same log, the crossings of
 * successive looks are exactly those of one full fold.
 */
export const slaFrom = (
  from: SlaCheckpoint | null,
  events: readonly LoggedEvent[],
  config: TenantConfig,
  now: Date,
): SlaLook => {
  const nowMs = now.getTime();
  const fold = new SlaFold(config, from?.ticket.ticketId ?? events[0]?.event.ticketId ?? '');
  if (from) restore(fold, from);
  let settled: SlaSettled = { clocks: [], escalations: [] };
  const { checkpoint, nextWakeUp } = foldTimed({
    model: {
      logged: (id, t) => fold.loggedActions.set(id, t),
      advanceBefore: (t) => fold.advanceUntil(t),
      // The instant's events first (in id order), then its crossings; Heed's own step actions are
      // applied in their step's round, or after it as plain facts when no step claims them.
      applyInstant: (group, t) => {
        for (const e of group) if (!isSlaAction(e)) fold.apply(e.event, t);
        fold.rounds(t);
        for (const e of group)
          if (isSlaAction(e) && !fold.usedActions.has(e.event.id)) fold.apply(e.event, t);
        fold.rounds(t);
      },
      finish: (t) => {
        fold.advanceUntil(t);
        fold.rounds(t);
      },
      nextDue: () => fold.nextCrossingOfAll(),
    },
    from,
    events,
    now: nowMs,
    isAction: isSlaAction,
    capture: (t, folded) => {
      // What this checkpoint leaves out, as it is now: final (stopped clocks do not re-target).
      settled = {
        clocks: fold.clocks.filter((c) => c.stoppedAt !== null).map((c) => fold.view(c, t)),
        escalations: [...fold.escalations],
      };
      return checkpointOf(fold, t, folded);
    },
  });
  return {
    settled,
    model: {
      rule: fold.ticket.opened ? (fold.rule?.name ?? null) : null,
      clocks: fold.clocks.map((c) => fold.view(c, nowMs)).sort(compareClocks),
      escalations: fold.escalations,
      crossings: fold.crossings,
      actions: fold.actions,
      nextWakeUp: nextWakeUp === null ? null : iso(nextWakeUp),
    },
    checkpoint,
  };
};

const KIND_ORDER: Readonly<Record<ClockKind, number>> = {
  first_response: 0,
  resolution: 1,
  next_response: 2,
};

/**
 * The order clocks are listed in: by start, and at one instant in the order a ticket starts them
 * (an opening starts first response then resolution, a reopen resolution then next response).
 * One total order, so clocks kept apart (settled before a checkpoint) merge back exactly.
 */
export const compareClocks = (a: ClockView, b: ClockView): number =>
  Date.parse(a.startedAt) - Date.parse(b.startedAt) ||
  KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
  a.cycle - b.cycle;

/**
 * What a new checkpoint leaves out of the fold that made it: the clocks stopped and the
 * escalations made before it. Final (short of a late event before it, which re-folds the whole
 * log); the SLA service stores them beside the checkpoint, and they and a fold resumed from it
 * make the whole model again (`withSettled`).
 */
export interface SlaSettled {
  readonly clocks: readonly ClockView[];
  readonly escalations: readonly Escalation[];
}

/** The clocks and escalations of a model resumed from a checkpoint, with what was settled before it. */
export const withSettled = (
  model: Pick<SlaModel, 'clocks' | 'escalations'>,
  settled: readonly SlaSettled[],
): Pick<SlaModel, 'clocks' | 'escalations'> => ({
  clocks: [...settled.flatMap((s) => s.clocks), ...model.clocks].sort(compareClocks),
  escalations: [...settled.flatMap((s) => s.escalations), ...model.escalations],
});

/**
 * The SLA state of a ticket at `now`: its clocks, escalations, every crossing so far, the actions
 * the escalation ladder took that are not logged yet, and when to look again. Events after `now`
 * (a producer's clock running slightly ahead) are not folded yet.
 */
export const slaOf = (events: readonly LoggedEvent[], config: TenantConfig, now: Date): SlaModel =>
  slaFrom(null, events, config, now).model;
