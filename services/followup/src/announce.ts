import { type Announcement, isLate } from '@heed/app';
import type { DetailOf, DomainEvent } from '@heed/contracts';
import {
  deliveryRequested,
  domainEvent,
  type FollowUp,
  internalMessage,
  type LateComment,
  type LinkedOpening,
  messageContentOf,
  type NewDelivery,
  newDeliveryId,
  type RenderedFollowUp,
  recipientOf,
  type TicketState,
} from '@heed/core';

interface Context {
  readonly ticket: TicketState;
  readonly causationId: string;
  readonly now: Date;
}

const headerOf = (ctx: Context, occurredAt: string) => ({
  tenantId: ctx.ticket.tenantId,
  ticketId: ctx.ticket.ticketId,
  reference: ctx.ticket.reference,
  occurredAt,
  emittedAt: ctx.now.toISOString(),
  causationId: ctx.causationId,
  actor: 'heed' as const,
  late: isLate(occurredAt, ctx.now),
});

const keyOf = (ctx: Context, key: string): string => `${ctx.ticket.ticketId}/followup/${key}`;

const dueEvent = (ctx: Context, f: FollowUp, status: 'sent' | 'done' | 'skipped'): DomainEvent =>
  domainEvent(
    'Follow-up Due',
    headerOf(ctx, f.at ?? f.dueAt),
    { kind: f.kind, cycle: f.cycle, dueAt: f.dueAt, status, reason: f.reason },
    keyOf(ctx, f.key),
  );

const customerDelivery = (
  ctx: Context,
  f: FollowUp,
  message: RenderedFollowUp,
  extra: Pick<NewDelivery, 'data' | 'obsoleteIf'>,
): NewDelivery => {
  const { ticket, now } = ctx;
  return {
    tenantId: ticket.tenantId,
    ticketId: ticket.ticketId,
    reference: ticket.reference,
    deliveryId: newDeliveryId(ticket.tenantId, ticket.ticketId, `followup:${f.key}`, now),
    purpose: f.kind === 'survey' ? 'survey' : 'reminder',
    audience: 'customer',
    roles: [],
    template: `followup.${f.kind}`,
    channel: ticket.channel,
    createdAt: now.toISOString(),
    receivedAt: f.at ?? f.dueAt,
    recipient: recipientOf(ticket.customer),
    message: messageContentOf(message),
    ...extra,
  };
};

/**
 * A survey or reminder going out: its message, its own event (`Survey Requested`, `Reminder
 * Sent`) and `Follow-up Due`, all with the same `data` besides the message's id, channel and locale.
 */
const messageSent = <T extends 'Survey Requested' | 'Reminder Sent'>(
  ctx: Context,
  f: FollowUp,
  message: RenderedFollowUp,
  sent: { readonly type: T; readonly data: Omit<DetailOf<T>['data'], 'deliveryId' | 'channel' | 'locale'> },
  delivery: Pick<NewDelivery, 'data' | 'obsoleteIf'>,
): Announcement => {
  const d = customerDelivery(ctx, f, message, delivery);
  const data = {
    deliveryId: d.deliveryId,
    channel: ctx.ticket.channel,
    locale: message.locale,
    ...sent.data,
  } as DetailOf<T>['data'];
  return {
    activity: {
      id: `followup-${f.key}`,
      at: ctx.now.toISOString(),
      type: `followup.${f.kind}`,
      dueAt: f.dueAt,
      ...data,
    },
    emits: [
      dueEvent(ctx, f, 'sent'),
      domainEvent(sent.type, headerOf(ctx, ctx.now.toISOString()), data, keyOf(ctx, f.key)),
      deliveryRequested(d, ctx.causationId),
    ],
    delivery: d,
  };
};

/** A survey going out, with its score links. */
export const surveySent = (
  ctx: Context,
  f: FollowUp,
  message: RenderedFollowUp,
  links: { readonly pageUrl: string; readonly expiresAt: Date },
): Announcement => {
  const expiresAt = links.expiresAt.toISOString();
  return messageSent(
    ctx,
    f,
    message,
    { type: 'Survey Requested', data: { cycle: f.cycle, expiresAt } },
    {
      data: { kind: 'survey', cycle: f.cycle, dueAt: f.dueAt, expiresAt, url: links.pageUrl },
      // Pointless once the ticket was reopened (a reply reopens it) before it went out.
      obsoleteIf: { statusNotIn: ['solved', 'closed'] },
    },
  );
};

/** A reminder going out, telling when the ticket will close (`closeAt`, if it will). */
export const reminderSent = (ctx: Context, f: FollowUp, message: RenderedFollowUp, closeAt: string | null) =>
  messageSent(
    ctx,
    f,
    message,
    { type: 'Reminder Sent', data: { attempt: f.cycle, round: f.round } },
    {
      data: { kind: 'reminder', attempt: f.cycle, round: f.round, dueAt: f.dueAt, closeAt },
      obsoleteIf: { statusNotIn: ['pending'], customerMessageSince: f.dueAt },
    },
  );

/** An auto-close Heed logged: `Ticket Auto-Closed` at the instant it closed, `Follow-up Due`. */
export const autoClosed = (ctx: Context, f: FollowUp, reminders: number): Announcement => {
  const at = f.at ?? f.dueAt;
  const data = { reason: f.kind === 'autoClose' ? ('pending' as const) : ('solved' as const), reminders };
  return {
    activity: { id: `followup-${f.key}`, at, type: 'followup.closed', ...data },
    emits: [
      dueEvent(ctx, f, 'done'),
      domainEvent('Ticket Auto-Closed', headerOf(ctx, at), data, keyOf(ctx, f.key)),
    ],
  };
};

/** A message due too long ago (a backfilled history): skipped, on the timeline and the bus. */
export const skipped = (ctx: Context, f: FollowUp): Announcement => ({
  activity: {
    id: `followup-${f.key}`,
    at: f.at ?? f.dueAt,
    type: 'followup.skipped',
    followUp: f.kind,
    cycle: f.cycle,
    dueAt: f.dueAt,
    reason: f.reason,
  },
  emits: [dueEvent(ctx, f, 'skipped')],
});

/**
 * The customer came back to this closed ticket and Heed opened a linked one: `Linked Ticket
 * Opened`, and an internal notification so the helpdesk can mirror it (English text for people,
 * `data` for machines).
 */
export const linkedOpened = (ctx: Context, linked: LinkedOpening, n: number): Announcement => {
  const { ticket, now } = ctx;
  const why =
    linked.reason === 'low_score'
      ? 'gave a low score after it was closed'
      : 'wrote again after it was closed';
  const delivery = internalMessage(ticket, {
    key: `followup:linked:${n}`,
    purpose: 'linked-ticket',
    roles: [],
    template: 'followup.linked',
    now,
    receivedAt: linked.at,
    subject: `Ticket ${ticket.reference} reopened as ${linked.ticketId}`,
    text: `The customer of ticket ${ticket.reference} ${why}. Heed opened the linked ticket ${linked.ticketId}; it is acknowledged and SLA-tracked like any other. Mirror it in your helpdesk.`,
    data: {
      linkedTicketId: linked.ticketId,
      linkedFrom: ticket.ticketId,
      reason: linked.reason,
      at: linked.at,
      causationId: linked.causationId,
    },
  });
  const data = { linkedTicketId: linked.ticketId, reason: linked.reason, deliveryId: delivery.deliveryId };
  return {
    activity: { id: `followup-linked-${n}`, at: linked.at, type: 'followup.linked', ...data },
    emits: [
      domainEvent('Linked Ticket Opened', headerOf(ctx, linked.at), data, keyOf(ctx, `linked:${n}`)),
      deliveryRequested(delivery, ctx.causationId),
    ],
    delivery,
  };
};

/**
 * A comment that came after the low score it explains (the survey page asks for it after the
 * click, when the low-csat escalation has gone out): passed on to the same roles.
 */
export const lateComment = (ctx: Context, c: LateComment, roles: readonly string[]): Announcement => {
  const { ticket, now } = ctx;
  const delivery = internalMessage(ticket, {
    key: `followup:comment:${c.eventId}`,
    purpose: 'escalation',
    roles,
    template: 'escalation.low-csat.comment',
    now,
    receivedAt: c.at,
    subject: `Comment on the low score of ticket ${ticket.reference}`,
    text: `The customer who rated ticket ${ticket.reference} ${c.score} of 5 added: "${c.comment}"`,
    data: { reason: 'low-csat', cycle: c.cycle, score: c.score, comment: c.comment, at: c.at },
  });
  return {
    activity: {
      id: `followup-comment-${c.eventId}`,
      at: c.at,
      type: 'followup.comment',
      cycle: c.cycle,
      deliveryId: delivery.deliveryId,
    },
    emits: [deliveryRequested(delivery, ctx.causationId)],
    delivery,
  };
};
