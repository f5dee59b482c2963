import { createHash } from 'node:crypto';
import {
  HEED_EVENT_ID_PREFIX,
  type InboundEvent,
  MAX_ID_LENGTH,
  type TenantConfig,
  type TicketStatus,
} from '@heed/contracts';
import { addTimeMs, type BusinessCalendar } from '../calendar';
import { heedEventId } from '../heed-ids';
import { applyEvent, emptyTicket, type LoggedEvent, type TicketState } from '../projection';
import type { HeedAction } from '../sla/model';
import { type FoldLook, foldTimed } from '../timed-fold';

/**
 * Follow-ups as a pure fold of the ticket's log (DESIGN §5.2): `followUpsOf(events, config, now)`.
 * After a ticket is solved: a survey at the first contact hour in the customer's own time zone
 * once `survey.after` has passed, and the close of the solved window after `closeSolvedAfter`.
 * While it waits on the customer: reminders, then the auto-close. A reopen, a customer message
 * or leaving the status cancels what is left. A low score reopens (or, on a closed ticket, opens
 * a linked one), and a customer writing to a closed ticket opens a linked ticket.
 *
 * The fold knows what is due, not what was sent: the follow-up service keeps that, sends what is
 * `due` and not sent yet, and appends the `actions` (closes, reopens, linked openings) to the log,
 * where the next fold finds them as facts.
 */

const MINUTE = 60_000;

export type FollowUpKind = 'survey' | 'reminder' | 'autoClose' | 'closeSolved';
/** In the fold: `due` (a message to send now), `done` (an action taken), or neither yet. */
export type FollowUpStatus = 'scheduled' | 'due' | 'done' | 'skipped' | 'cancelled';

export interface FollowUp {
  /** Stable within the ticket: `survey:<solve cycle>`, `reminder:<pending round>:<n>`, … */
  readonly key: string;
  readonly kind: FollowUpKind;
  /** The survey's or close's solve cycle, the reminder's number, the auto-close's pending round. */
  readonly cycle: number;
  /** The solve cycle or pending round it belongs to. */
  readonly round: number;
  readonly dueAt: string;
  readonly status: FollowUpStatus;
  /** Why it was cancelled or skipped. */
  readonly reason: string | null;
  /** When it became due, was done, cancelled or skipped. */
  readonly at: string | null;
}

/** A survey answer (the last click of a cycle wins). */
export interface SurveyAnswer {
  readonly cycle: number;
  readonly score: number;
  readonly comment: string | null;
  readonly at: string;
  readonly eventId: string;
}

/** A ticket Heed opened because the customer came back to this one after it was closed. */
export interface LinkedOpening {
  readonly ticketId: string;
  readonly at: string;
  readonly reason: 'customer_replied' | 'low_score';
  /** The event of this ticket that caused it. */
  readonly causationId: string;
}

/** A comment given after the low score it explains (the one-click page asks for it afterwards). */
export interface LateComment {
  readonly cycle: number;
  readonly score: number;
  readonly comment: string;
  readonly at: string;
  readonly eventId: string;
}

export interface FollowUpModel {
  readonly followUps: readonly FollowUp[];
  readonly answers: readonly SurveyAnswer[];
  /**
   * The first comment on a survey cycle that was already escalated for a low score (at most one
   * per cycle): the escalation went out without it, so the follow-up service passes it on to the
   * same people.
   */
  readonly lateComments: readonly LateComment[];
  readonly linked: readonly LinkedOpening[];
  /**
   * Events to append that are not logged in this ticket yet: closes and reopens of this ticket,
   * and the opening of (or a message forwarded to) a linked ticket, which belong to its log.
   */
  readonly actions: readonly HeedAction[];
  /** The earliest scheduled follow-up still ahead (or an event stamped ahead of now). */
  readonly nextWakeUp: string | null;
  /** How often the ticket was solved (each solve opens a survey cycle). */
  readonly solves: number;
}

interface Entry {
  key: string;
  kind: FollowUpKind;
  cycle: number;
  round: number;
  due: number;
  status: FollowUpStatus;
  reason: string | null;
  at: number | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const isMessage = (kind: FollowUpKind): boolean => kind === 'survey' || kind === 'reminder';
const isFollowUpAction = (e: LoggedEvent): boolean => e.actor === 'heed' && e.event.id.includes(':followup:');
/**
 * The id of the n-th ticket linked to `ticketId`: `heed:<id>~<n>`, in Heed's namespace, which no
 * producer may open, so it can never be someone else's ticket. Unique: the last `~` splits it
 * back into (id, n). An id too long for that (ids have at most 128 characters) is replaced by
 * `#` and 144 bits of its SHA-256, so two long ids that share a prefix still link apart.
 */
export const linkedTicketId = (ticketId: string, n: number): string => {
  const suffix = `~${n}`;
  const plain = `${HEED_EVENT_ID_PREFIX}${ticketId}${suffix}`;
  if (plain.length <= MAX_ID_LENGTH) return plain;
  const digest = createHash('sha256').update(ticketId).digest('base64url').slice(0, 24);
  return `${HEED_EVENT_ID_PREFIX}#${digest}${suffix}`;
};

type ContactHours = TenantConfig['followUp']['contactHours'];
const contactCalendars = new WeakMap<ContactHours, Map<string, BusinessCalendar>>();
/**
 * The contact hours read in one zone, as one calendar object per (configuration, zone): the
 * calendar search keeps each day's hours per calendar object, so folds share that work.
 */
const contactCalendar = (hours: ContactHours, timeZone: string): BusinessCalendar => {
  const byZone = contactCalendars.get(hours) ?? new Map<string, BusinessCalendar>();
  contactCalendars.set(hours, byZone);
  const calendar = byZone.get(timeZone) ?? { timeZone, hours: hours.hours, holidays: hours.holidays };
  byZone.set(timeZone, calendar);
  return calendar;
};

class FollowUpFold {
  ticket: TicketState;
  readonly entries = new Map<string, Entry>();
  readonly answers: SurveyAnswer[] = [];
  readonly lateComments: LateComment[] = [];
  readonly linked: LinkedOpening[] = [];
  readonly actions: HeedAction[] = [];
  /** Heed's follow-up actions in the log, with their instant. */
  readonly loggedActions = new Map<string, number>();
  readonly usedActions = new Set<string>();
  solveCycle = 0;
  pendingRound = 0;
  readonly lowScoreCycles = new Set<number>();

  constructor(
    readonly config: TenantConfig,
    readonly ticketId: string,
    readonly nowMs: number,
  ) {
    this.ticket = emptyTicket('', ticketId, '');
  }

  /** Contact hours in the customer's own time zone. */
  contactHours(): BusinessCalendar {
    return contactCalendar(
      this.config.followUp.contactHours,
      this.ticket.customer?.timeZone ?? this.config.defaultTimeZone,
    );
  }

  /** The first contact-hours instant at or after `t`. */
  contactAt(t: number): number {
    return addTimeMs('business', this.contactHours(), t, 0);
  }

  schedule(kind: FollowUpKind, cycle: number, round: number, due: number): void {
    const key =
      kind === 'reminder' ? `reminder:${round}:${cycle}` : `${kind}:${kind === 'autoClose' ? round : cycle}`;
    this.entries.set(key, { key, kind, cycle, round, due, status: 'scheduled', reason: null, at: null });
  }

  /**
   * Cancels what is left: scheduled entries, and messages that fell due before `t`. A message due
   * at `t` itself stays due: a last reminder due as the ticket auto-closes still goes out.
   */
  cancel(test: (e: Entry) => boolean, reason: string, t: number): void {
    for (const e of this.entries.values())
      if ((e.status === 'scheduled' || (e.status === 'due' && (e.at ?? e.due) < t)) && test(e)) {
        e.status = 'cancelled';
        e.reason = reason;
        e.at = t;
      }
  }

  // ---- events ----

  apply(event: InboundEvent, t: number): void {
    const before = this.ticket;
    const after = applyEvent(before, event);
    this.ticket = after;
    if (!after.opened || !before.opened) return;
    if (event.type === 'customer.replied' && before.status === 'closed') this.customerCameBack(event, t);
    if (event.type === 'feedback.received') this.feedback(event, t);
    if (before.status !== after.status) this.statusChanged(before.status, after.status, event, t);
  }

  statusChanged(from: TicketStatus, to: TicketStatus, event: InboundEvent, t: number): void {
    const { followUp } = this.config;
    const why = event.type === 'customer.replied' ? 'customer_replied' : `status_${to}`;
    if (from === 'solved' && to !== 'closed')
      this.cancel(
        (e) => e.round === this.solveCycle && (e.kind === 'survey' || e.kind === 'closeSolved'),
        'reopened',
        t,
      );
    if (from === 'solved' && to === 'closed') this.cancel((e) => e.kind === 'closeSolved', 'closed', t);
    if (from === 'pending')
      this.cancel(
        (e) => e.round === this.pendingRound && (e.kind === 'reminder' || e.kind === 'autoClose'),
        why,
        t,
      );
    if (to === 'solved') {
      this.solveCycle += 1;
      const r = this.solveCycle;
      if (followUp.survey.enabled)
        this.schedule('survey', r, r, this.contactAt(t + followUp.survey.after * MINUTE));
      if (followUp.closeSolvedAfter !== null)
        this.schedule('closeSolved', r, r, t + followUp.closeSolvedAfter * MINUTE);
    }
    if (to === 'pending') {
      this.pendingRound += 1;
      const p = this.pendingRound;
      let last = t;
      followUp.pending.reminders.forEach((offset, i) => {
        const due = this.contactAt(t + offset * MINUTE);
        last = Math.max(last, due);
        this.schedule('reminder', i + 1, p, due);
      });
      // Never before the last reminder: the customer is closed on only after every reminder.
      if (followUp.pending.autoClose !== null)
        this.schedule('autoClose', p, p, Math.max(t + followUp.pending.autoClose * MINUTE, last));
    }
  }

  feedback(event: Extract<InboundEvent, { type: 'feedback.received' }>, t: number): void {
    const cycle = event.data.surveyCycle ?? Math.max(1, this.solveCycle);
    const answer: SurveyAnswer = {
      cycle,
      score: event.data.score,
      comment: event.data.comment ?? null,
      at: iso(t),
      eventId: event.id,
    };
    const i = this.answers.findIndex((a) => a.cycle === cycle);
    if (i >= 0) this.answers[i] = answer;
    else this.answers.push(answer);
    // At most one comment notice per cycle: the first comment after the low-score escalation.
    if (
      this.lowScoreCycles.has(cycle) &&
      event.data.comment &&
      !this.lateComments.some((c) => c.cycle === cycle)
    )
      this.lateComments.push({
        cycle,
        score: event.data.score,
        comment: event.data.comment,
        at: iso(t),
        eventId: event.id,
      });
    if (event.data.score > this.config.followUp.lowScore || this.lowScoreCycles.has(cycle)) return;
    this.lowScoreCycles.add(cycle);
    // Not solved after all: reopen it, or if it is closed, open a linked ticket.
    if (this.ticket.status === 'solved') {
      const id = heedEventId(this.ticketId, 'followup', 'reopen', cycle);
      this.act(id, t, () =>
        this.heedEvent(id, this.ticketId, t, 'ticket.status_changed', { status: 'open' }),
      );
    } else if (this.ticket.status === 'closed') this.openLinked(t, 'low_score', event.id);
  }

  /**
   * A message to a closed ticket opens a linked ticket; later messages to it go to the newest
   * linked ticket (which reopens or links on in turn), not to a new ticket each.
   */
  customerCameBack(event: Extract<InboundEvent, { type: 'customer.replied' }>, t: number): void {
    const latest = this.linked.at(-1);
    if (!latest) {
      this.openLinked(t, 'customer_replied', event.id);
      return;
    }
    const id = heedEventId(this.ticketId, 'followup', 'forward', event.id);
    this.actions.push({
      event: this.heedEvent(id, latest.ticketId, t, 'customer.replied', { ...event.data }),
    });
  }

  openLinked(t: number, reason: LinkedOpening['reason'], causationId: string): void {
    const n = this.linked.length + 1;
    const ticketId = linkedTicketId(this.ticketId, n);
    this.linked.push({ ticketId, at: iso(t), reason, causationId });
    const id = heedEventId(this.ticketId, 'followup', 'linked', n);
    const old = this.ticket;
    // Another ticket's first event: logged there, never in this log; the follow-up service
    // remembers which it recorded.
    this.actions.push({
      event: this.heedEvent(id, ticketId, t, 'ticket.opened', {
        channel: old.channel ?? 'email',
        priority: old.priority,
        ...(old.subject !== null && { subject: old.subject }),
        createdBy: 'customer',
        customer: old.customer ?? { id: 'unknown' },
        linkedFrom: this.ticketId,
      }),
    });
  }

  /** Takes an action at `t` (once; one logged at another instant stays a fact of its own time). */
  act(id: string, t: number, make: () => InboundEvent): void {
    const logged = this.loggedActions.get(id);
    if (logged !== undefined && logged !== t) return;
    const event = make();
    if (logged === undefined) this.actions.push({ event });
    this.usedActions.add(id);
    this.apply(event, t);
  }

  heedEvent(
    id: string,
    ticketId: string,
    t: number,
    type: string,
    data: Record<string, unknown>,
  ): InboundEvent {
    return { id, type, ticketId, occurredAt: iso(t), data } as InboundEvent;
  }

  // ---- time ----

  /** The next scheduled entry, messages before actions at one instant. */
  nextDue(): Entry | undefined {
    let next: Entry | undefined;
    for (const e of this.entries.values()) {
      if (e.status !== 'scheduled') continue;
      if (!next || e.due < next.due || (e.due === next.due && isMessage(e.kind) && !isMessage(next.kind)))
        next = e;
    }
    return next;
  }

  /** Everything due before `t` (or at it, when `inclusive`), each at its own instant. */
  advanceUntil(t: number, inclusive: boolean): void {
    for (let guard = 0; guard < 10_000; guard++) {
      const e = this.nextDue();
      if (!e || e.due > t || (!inclusive && e.due === t)) return;
      this.fire(e);
    }
  }

  fire(e: Entry): void {
    e.at = e.due;
    if (isMessage(e.kind)) {
      // A message due long ago (a backfilled history) is skipped, never sent late.
      const stale = this.nowMs - e.due > this.config.followUp.staleAfter * MINUTE;
      e.status = stale ? 'skipped' : 'due';
      e.reason = stale ? 'stale' : null;
      return;
    }
    e.status = 'done';
    const id = heedEventId(this.ticketId, 'followup', e.kind, e.round);
    this.act(id, e.due, () =>
      this.heedEvent(id, this.ticketId, e.due, 'ticket.status_changed', { status: 'closed' }),
    );
  }
}

/**
 * Where a follow-up fold can resume (see `SlaCheckpoint`): its state at instant `at`, after every
 * event and every follow-up due before it, before that instant's events. What the fold no longer
 * needs is left out: follow-ups of earlier solve cycles and pending rounds that are over (the
 * service announced them before it stored this), Heed's logged actions.
 */
export interface FollowUpCheckpoint {
  readonly v: 1;
  readonly at: number;
  /** Events of this ticket's log before `at` (this look's own actions on it included). */
  readonly folded: number;
  readonly ticket: TicketState;
  readonly entries: readonly Entry[];
  readonly answers: readonly SurveyAnswer[];
  readonly lateComments: readonly LateComment[];
  readonly linked: readonly LinkedOpening[];
  readonly solveCycle: number;
  readonly pendingRound: number;
  readonly lowScoreCycles: readonly number[];
}

/** A fold's model, and where the next look resumes. */
export type FollowUpLook = FoldLook<FollowUpModel, FollowUpCheckpoint, FollowUpsSettled>;

const followUpOf = (e: Entry): FollowUp => ({
  key: e.key,
  kind: e.kind,
  cycle: e.cycle,
  round: e.round,
  dueAt: iso(e.due),
  status: e.status,
  reason: e.reason,
  at: e.at === null ? null : iso(e.at),
});

const isCurrent = (fold: FollowUpFold, e: Entry): boolean =>
  e.status === 'scheduled' ||
  (e.kind === 'reminder' || e.kind === 'autoClose'
    ? e.round >= fold.pendingRound
    : e.round >= fold.solveCycle);

const followUpCheckpointOf = (fold: FollowUpFold, at: number, folded: number): FollowUpCheckpoint => ({
  v: 1,
  at,
  // Actions on a linked ticket are logged there, not here.
  folded: folded + fold.actions.filter((a) => a.event.ticketId === fold.ticketId).length,
  ticket: fold.ticket,
  entries: [...fold.entries.values()].filter((e) => isCurrent(fold, e)).map((e) => ({ ...e })),
  answers: [...fold.answers],
  lateComments: [...fold.lateComments],
  linked: [...fold.linked],
  solveCycle: fold.solveCycle,
  pendingRound: fold.pendingRound,
  lowScoreCycles: [...fold.lowScoreCycles],
});

const restoreFollowUps = (fold: FollowUpFold, from: FollowUpCheckpoint): void => {
  fold.ticket = from.ticket;
  for (const e of from.entries) fold.entries.set(e.key, { ...e });
  fold.answers.push(...from.answers);
  fold.lateComments.push(...from.lateComments);
  fold.linked.push(...from.linked);
  fold.solveCycle = from.solveCycle;
  fold.pendingRound = from.pendingRound;
  for (const n of from.lowScoreCycles) fold.lowScoreCycles.add(n);
};

/**
 * The follow-ups of a ticket at `now` (see `followUpsOf`), folded from a checkpoint: `events`
 * are the log's events from `from.at` on (all of them without one). Its follow-ups are those of
 * the current solve cycle and pending round and what is still scheduled; what successive looks
 * find to announce is what one full fold finds.
 */
export const followUpsFrom = (
  from: FollowUpCheckpoint | null,
  events: readonly LoggedEvent[],
  config: TenantConfig,
  now: Date,
): FollowUpLook => {
  const nowMs = now.getTime();
  const fold = new FollowUpFold(config, from?.ticket.ticketId ?? events[0]?.event.ticketId ?? '', nowMs);
  if (from) restoreFollowUps(fold, from);
  let settled: FollowUpsSettled = { followUps: [] };
  const { checkpoint, nextWakeUp } = foldTimed({
    model: {
      logged: (id, t) => fold.loggedActions.set(id, t),
      advanceBefore: (t) => fold.advanceUntil(t, false),
      // The instant's events first, then what falls due at it; Heed's own follow-up actions are
      // applied when their follow-up fires, or as plain facts when none claims them.
      applyInstant: (group, t) => {
        for (const e of group) if (!isFollowUpAction(e)) fold.apply(e.event, t);
        fold.advanceUntil(t, true);
        for (const e of group)
          if (isFollowUpAction(e) && !fold.usedActions.has(e.event.id)) fold.apply(e.event, t);
      },
      finish: (t) => fold.advanceUntil(t, true),
      nextDue: () => fold.nextDue()?.due ?? null,
    },
    from,
    events,
    now: nowMs,
    isAction: isFollowUpAction,
    capture: (t, folded) => {
      settled = {
        followUps: [...fold.entries.values()].filter((e) => !isCurrent(fold, e)).map(followUpOf),
      };
      return followUpCheckpointOf(fold, t, folded);
    },
  });
  return {
    settled,
    model: {
      followUps: [...fold.entries.values()].map(followUpOf).sort(compareFollowUps),
      answers: fold.answers,
      lateComments: fold.lateComments,
      linked: fold.linked,
      actions: fold.actions,
      nextWakeUp: nextWakeUp === null ? null : iso(nextWakeUp),
      solves: fold.solveCycle,
    },
    checkpoint,
  };
};

/** The order follow-ups are listed in: by due time, then key. */
export const compareFollowUps = (a: FollowUp, b: FollowUp): number =>
  Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.key.localeCompare(b.key);

/**
 * Follow-ups a new checkpoint leaves out of the fold that made it (past rounds and solve cycles,
 * none still scheduled): final, stored beside the checkpoint by the follow-up service.
 */
export interface FollowUpsSettled {
  readonly followUps: readonly FollowUp[];
}

/** The follow-ups of a model resumed from a checkpoint, with those settled before it. */
export const withSettledFollowUps = (
  model: Pick<FollowUpModel, 'followUps'>,
  settled: readonly FollowUpsSettled[],
): readonly FollowUp[] => [...settled.flatMap((s) => s.followUps), ...model.followUps].sort(compareFollowUps);

/**
 * The follow-ups of a ticket at `now`: each with its due time and status, the survey answers,
 * linked tickets, the actions not logged yet and when to look again. Events after `now` are not
 * folded yet (the next wake-up comes no later than them).
 */
export const followUpsOf = (events: readonly LoggedEvent[], config: TenantConfig, now: Date): FollowUpModel =>
  followUpsFrom(null, events, config, now).model;
