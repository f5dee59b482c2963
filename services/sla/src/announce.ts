import { type Announcement, isLate } from '@heed/app';
import type { DomainEvent } from '@heed/contracts';
import {
  type Activity,
  type ClockView,
  type Crossing,
  deliveryRequested,
  domainEvent,
  type Escalation,
  internalMessage,
  type NewDelivery,
  type TicketState,
} from '@heed/core';

const CLOCK_NAMES = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
};

const minute = (at: string) => `${at.slice(0, 16).replace('T', ' ')} UTC`;

/** What the step's offset meant when it fired: the target `offset` minutes ahead or behind. */
const stepPhrase = (offset: number) =>
  offset < 0
    ? `due in ${-offset} minutes`
    : offset === 0
      ? 'due now: the target is breached'
      : `${offset} minutes past its target`;

/** Where the clock stands now, for a step announced late (its phrase was true at the step only). */
const clockNow = (clock: ClockView | undefined, now: Date): string => {
  if (!clock) return 'its clock is no longer known';
  if (clock.stoppedAt) return `the clock has since stopped (${clock.status} at ${minute(clock.stoppedAt)})`;
  if (clock.breachedAt) return `it is breached since ${minute(clock.breachedAt)}, still running`;
  if (clock.dueAt)
    return `it is due at ${minute(clock.dueAt)} (in ${Math.max(0, Math.round((Date.parse(clock.dueAt) - now.getTime()) / 60_000))} minutes)`;
  return `it is ${clock.status}`;
};

/** What the step did, from what was recorded when it fired. */
const appliedPhrase = (e: Extract<Escalation, { reason: 'sla' }>) => {
  const parts: string[] = [];
  if (e.applied.priority)
    parts.push(`Priority raised from ${e.applied.priority.from} to ${e.applied.priority.to}.`);
  else if (e.actions.raisePriority) parts.push('Priority not raised: it was already the highest.');
  if (e.applied.group) parts.push(`Moved to group ${e.applied.group.to}.`);
  return parts.map((p) => ` ${p}`).join('');
};

/**
 * The internal message of an escalation: English text for people, `data` for machines, both from
 * what was recorded (the step, the instant it fired, what its actions did) and, when it is
 * announced late, where the clock stands now.
 */
const escalationMessage = (
  e: Escalation,
  ticket: TicketState,
  clock: ClockView | undefined,
  now: Date,
  late: boolean,
) => {
  const who = e.actions.notify.join(', ');
  if (e.reason === 'transfers')
    return {
      subject: `Ticket ${ticket.reference} was transferred ${e.transfers} times`,
      text: `Ticket ${ticket.reference} has been handed to another group ${e.transfers} times. Escalated to: ${who}.`,
    };
  if (e.reason === 'low-csat')
    return {
      subject: `Low satisfaction on ticket ${ticket.reference}`,
      text: `The customer rated ticket ${ticket.reference} ${e.score} of 5${e.comment ? `: "${e.comment}"` : ''}. The ticket was reopened. Escalated to: ${who}.`,
    };
  const name = CLOCK_NAMES[e.clock];
  const where = `Priority ${ticket.priority}${ticket.assignee.groupId ? `, group ${ticket.assignee.groupId}` : ''}${ticket.assignee.agentId ? `, assignee ${ticket.assignee.agentId}` : ''}.`;
  if (late)
    return {
      subject: `SLA escalation ${e.step} on ticket ${ticket.reference}: ${name}, reached ${minute(e.at)} (announced late)`,
      text: `Step ${e.step} of the ${name} (cycle ${e.cycle}) of ticket ${ticket.reference} was reached at ${minute(e.at)}, when it was ${stepPhrase(e.offset)}; Heed learned of it late: ${clockNow(clock, now)}. ${where}${appliedPhrase(e)} Escalated to: ${who}.`,
    };
  return {
    subject: `SLA escalation ${e.step} on ticket ${ticket.reference}: ${name} ${stepPhrase(e.offset)}`,
    text: `The ${name} (cycle ${e.cycle}) of ticket ${ticket.reference} is ${stepPhrase(e.offset)}. ${where}${appliedPhrase(e)} Escalated to: ${who}.`,
  };
};

/**
 * The writes that announce one crossing: a timeline activity that carries its domain events (the
 * outbox), and for an escalation that names roles, the internal message to them and its
 * `Delivery Requested`. All go into the owner's commit, so each is written exactly once.
 */
export const announce = (args: {
  crossing: Crossing;
  ticket: TicketState;
  causationId: string;
  now: Date;
  /** For a late escalation: can people still act on it? If not, nobody is messaged about it. */
  actionable: boolean;
  /** `sla.staleAfter` in ms: an escalation older than this when seen is recorded, not messaged. */
  staleAfterMs: number;
  /** The escalated clock as the model has it now (for a late announcement's text). */
  clock?: ClockView;
}): Announcement => {
  const { crossing, ticket, now } = args;
  const late = isLate(crossing.at, now);
  const age = now.getTime() - Date.parse(crossing.at);
  const header = {
    tenantId: ticket.tenantId,
    ticketId: ticket.ticketId,
    reference: ticket.reference,
    occurredAt: crossing.at,
    emittedAt: now.toISOString(),
    causationId: args.causationId,
    actor: 'heed' as const,
    late,
  };
  const key = `${ticket.ticketId}/${crossing.key}`;
  const emits: DomainEvent[] = [];
  const activity: { type: string; [detail: string]: unknown } = { type: 'sla.crossing' };
  let delivery: NewDelivery | undefined;
  switch (crossing.type) {
    case 'warning':
    case 'breach': {
      const data = {
        clock: crossing.clock,
        cycle: crossing.cycle,
        rule: crossing.rule,
        targetMinutes: crossing.targetMinutes,
        dueAt: crossing.dueAt,
      };
      emits.push(
        domainEvent(crossing.type === 'warning' ? 'SLA Warning' : 'SLA Breached', header, data, key),
      );
      Object.assign(activity, {
        type: crossing.type === 'warning' ? 'sla.warning' : 'sla.breached',
        ...data,
      });
      break;
    }
    case 'met': {
      const data = {
        clock: crossing.clock,
        cycle: crossing.cycle,
        rule: crossing.rule,
        targetMinutes: crossing.targetMinutes,
        elapsedMinutes: crossing.elapsedMinutes,
      };
      emits.push(domainEvent('SLA Met', header, data, key));
      Object.assign(activity, { type: 'sla.met', ...data });
      break;
    }
    case 'escalation': {
      const e = crossing.escalation;
      const data = {
        reason: e.reason,
        notify: [...e.actions.notify],
        raisePriority: e.actions.raisePriority,
        assignGroup: e.actions.assignGroup,
        clock: e.reason === 'sla' ? e.clock : null,
        cycle: e.reason === 'sla' ? e.cycle : null,
        step: e.reason === 'sla' ? e.step : null,
        offset: e.reason === 'sla' ? e.offset : null,
        transfers: e.reason === 'transfers' ? e.transfers : null,
        score: e.reason === 'low-csat' ? e.score : null,
        applied: e.reason === 'sla' ? e.applied : null,
      };
      emits.push(domainEvent('Ticket Escalated', header, data, key));
      Object.assign(activity, { type: 'escalation', ...data });
      if (e.actions.notify.length > 0 && age > args.staleAfterMs)
        Object.assign(activity, {
          notified: false,
          why: `it happened ${Math.round(age / 60_000)} minutes before Heed saw it (more than sla.staleAfter): recorded, not messaged`,
        });
      else if (e.actions.notify.length > 0 && late && !args.actionable)
        Object.assign(activity, {
          notified: false,
          why: 'announced late, when it could no longer be acted on',
        });
      else if (e.actions.notify.length > 0) {
        delivery = internalMessage(ticket, {
          key: `escalation:${crossing.key}`,
          purpose: 'escalation',
          roles: e.actions.notify,
          template: `escalation.${e.reason}`,
          now,
          receivedAt: now.toISOString(),
          ...escalationMessage(e, ticket, args.clock, now, late),
          data: {
            ...data,
            at: crossing.at,
            priority: ticket.priority,
            status: ticket.status,
            assignee: ticket.assignee,
            ...(e.reason === 'low-csat' && e.comment ? { comment: e.comment } : {}),
          },
        });
        const { deliveryId } = delivery;
        emits.push(deliveryRequested(delivery, args.causationId));
        Object.assign(activity, { deliveryId });
      }
      break;
    }
  }
  const item: Activity = { id: `sla-${crossing.key}`, at: crossing.at, ...activity };
  return { emits, activity: item, delivery };
};

/**
 * An escalated clock stopped (answered, solved, or the ticket moved on): what was paged for it
 * resolves itself. Only for tenants with a PagerDuty webhook (the only format that takes it).
 */
export const resolveAnnouncement = (args: {
  clock: ClockView;
  ticket: TicketState;
  roles: readonly string[];
  causationId: string;
  now: Date;
}): Announcement => {
  const { clock, ticket, now } = args;
  const name = CLOCK_NAMES[clock.kind];
  const stoppedAt = clock.stoppedAt ?? now.toISOString();
  const delivery = internalMessage(ticket, {
    key: `escalation-resolved:${clock.kind}:${clock.cycle}`,
    purpose: 'escalation-resolved',
    roles: args.roles,
    template: 'escalation.resolved',
    now,
    receivedAt: now.toISOString(),
    subject: `${ticket.reference}: the escalated ${name} clock stopped`,
    text: `The ${name} clock of ${ticket.reference} (cycle ${clock.cycle}) stopped at ${minute(stoppedAt)}, ${clock.status}; its escalation is resolved.`,
    data: { clock: clock.kind, cycle: clock.cycle, status: clock.status, stoppedAt },
  });
  return {
    activity: {
      id: `sla-resolved-${clock.kind}-${clock.cycle}`,
      type: 'escalation.resolved',
      at: stoppedAt,
      clock: clock.kind,
      cycle: clock.cycle,
      deliveryId: delivery.deliveryId,
    },
    emits: [deliveryRequested(delivery, args.causationId)],
    delivery,
  };
};
