import { type HelpdeskFormat, isHelpdeskFormat, type Webhook, type WebhookFormat } from '@heed/contracts';
import { type DeliveryRecord, escapeHtml, HEED_MARKER, HELPDESK_TICKET_PREFIX } from '@heed/core';
import type { PostMethod } from './channels';

/*
 * Internal messages in the formats of the tools people are in: Slack (incoming webhook, Block
 * Kit), Microsoft Teams (workflow webhook, Adaptive Card) and PagerDuty (Events API v2), and
 * every message written into a helpdesk's own ticket (Zendesk, Freshdesk REST APIs). Each
 * builder is pure: the delivery as recorded, the tenant's link to the ticket, in, a body out.
 */

const CLOCKS: Readonly<Record<string, string>> = {
  first_response: 'First response',
  next_response: 'Next response',
  resolution: 'Resolution',
};

interface Fact {
  readonly title: string;
  readonly value: string;
}

const data = (d: DeliveryRecord): Readonly<Record<string, unknown>> => d.data ?? {};

/** "25 min past target" / "10 min before target" for an SLA step; null for other messages. */
export const lateness = (d: DeliveryRecord): string | null => {
  const offset = data(d).offset;
  if (typeof offset !== 'number') return null;
  if (offset === 0) return 'at its target';
  const minutes = Math.abs(offset);
  const amount = minutes >= 120 && minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
  return `${amount} ${offset > 0 ? 'past' : 'before'} target`;
};

/** What every format shows beside the text: the ticket, the clock, how late, who is addressed. */
export const factsOf = (d: DeliveryRecord): Fact[] => {
  const x = data(d);
  const clock =
    typeof x.clock === 'string' ? `${CLOCKS[x.clock] ?? x.clock} (cycle ${String(x.cycle ?? 1)})` : null;
  const late = lateness(d);
  return [
    { title: 'Ticket', value: d.reference },
    ...(clock ? [{ title: 'Clock', value: clock }] : []),
    ...(late ? [{ title: 'How late', value: late }] : []),
    ...(typeof x.reason === 'string' && x.reason !== 'sla' ? [{ title: 'Reason', value: x.reason }] : []),
    ...(d.roles.length > 0 ? [{ title: 'For', value: d.roles.join(', ') }] : []),
  ];
};

/** The tenant's page of this ticket (`delivery.ticketUrl` with `{ticketId}`), or null. */
export const ticketLink = (template: string | undefined, d: DeliveryRecord): string | null =>
  template ? template.replaceAll('{ticketId}', encodeURIComponent(d.ticketId)) : null;

const subjectOf = (d: DeliveryRecord): string => d.message.subject ?? `${d.purpose}: ${d.reference}`;

/** Slack incoming webhook: `text` for notifications and old clients, Block Kit for the message. */
export const slackMessage = (d: DeliveryRecord, link: string | null) => ({
  text: subjectOf(d),
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: subjectOf(d).slice(0, 150), emoji: false } },
    {
      type: 'section',
      fields: factsOf(d).map((f) => ({ type: 'mrkdwn', text: `*${f.title}*\n${f.value}` })),
    },
    { type: 'section', text: { type: 'plain_text', text: d.message.text.slice(0, 3000), emoji: false } },
    ...(link
      ? [
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                text: { type: 'plain_text', text: 'Open ticket' },
                url: link,
                action_id: 'open-ticket',
              },
            ],
          },
        ]
      : []),
  ],
});

/** Teams workflow webhook ("When a Teams webhook request is received"): one Adaptive Card. */
export const teamsMessage = (d: DeliveryRecord, link: string | null) => ({
  type: 'message',
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        body: [
          { type: 'TextBlock', text: subjectOf(d), weight: 'Bolder', size: 'Medium', wrap: true },
          { type: 'FactSet', facts: factsOf(d) },
          { type: 'TextBlock', text: d.message.text, wrap: true },
        ],
        ...(link && { actions: [{ type: 'Action.OpenUrl', title: 'Open ticket', url: link }] }),
      },
    },
  ],
});

/**
 * The page's identity: one per ticket and clock cycle (an escalation ladder's steps update the
 * same incident), or per ticket and reason for escalations without a clock.
 */
export const dedupKeyOf = (d: DeliveryRecord): string => {
  const x = data(d);
  const what =
    typeof x.clock === 'string' ? `${x.clock}:${String(x.cycle ?? 1)}` : String(x.reason ?? d.purpose);
  return `heed:${d.tenantId}:${d.ticketId}:${what}`.slice(0, 255);
};

/** PagerDuty Events API v2: `trigger` on an escalation, `resolve` when its clock stopped. */
export const pagerDutyEvent = (d: DeliveryRecord, routingKey: string, link: string | null) => {
  const dedup_key = dedupKeyOf(d);
  if (d.purpose === 'escalation-resolved')
    return { routing_key: routingKey, event_action: 'resolve', dedup_key };
  const x = data(d);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key,
    payload: {
      summary: subjectOf(d).slice(0, 1024),
      source: 'heed',
      severity: x.reason === 'sla' && typeof x.offset === 'number' && x.offset > 0 ? 'critical' : 'error',
      ...(typeof x.at === 'string' && { timestamp: x.at }),
      component: typeof x.clock === 'string' ? x.clock : String(x.reason ?? d.purpose),
      group: d.tenantId,
      class: `escalation.${String(x.reason ?? 'other')}`,
      custom_details: {
        ...Object.fromEntries(factsOf(d).map((f) => [f.title, f.value])),
        ticketId: d.ticketId,
        text: d.message.text,
      },
    },
    client: 'Heed',
    ...(link && { client_url: link, links: [{ href: link, text: 'Open ticket' }] }),
  };
};

/** The helpdesk's own id of a Heed ticket, or null when the ticket did not come from that helpdesk. */
export const helpdeskTicketOf = (format: HelpdeskFormat, ticketId: string): string | null =>
  new RegExp(`^${HELPDESK_TICKET_PREFIX[format]}-(\\d{1,20})$`).exec(ticketId)?.[1] ?? null;

/**
 * Does a webhook of `format` take this message? Heed's own takes every one it always did; a
 * helpdesk takes every message about its own tickets (the others are not its to hold).
 */
export const formatTakes = (format: WebhookFormat, d: DeliveryRecord): boolean => {
  if (format === 'pagerduty') return d.purpose === 'escalation' || d.purpose === 'escalation-resolved';
  if (d.purpose === 'escalation-resolved') return false;
  if (isHelpdeskFormat(format)) return helpdeskTicketOf(format, d.ticketId) !== null;
  return format === 'heed' || d.audience === 'internal';
};

/** One call to a helpdesk's REST API. */
export interface HelpdeskCall {
  readonly method: PostMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** What the helpdesk's ticket shows: the message (an internal one with its facts), marked as Heed's. */
const helpdeskText = (d: DeliveryRecord): string => {
  const facts =
    d.audience === 'internal'
      ? `${subjectOf(d)}\n${factsOf(d)
          .map((f) => `${f.title}: ${f.value}`)
          .join('\n')}\n\n`
      : '';
  // The marker: the connectors (and the recipes' trigger conditions) drop what carries it.
  return `${facts}${d.message.text}\n\n${HEED_MARKER}${d.deliveryId}`;
};

/**
 * The call that writes a message into the helpdesk's ticket: an internal note, or a public reply
 * (customer messages only, when the webhook says `reply: public`; the helpdesk then e-mails the
 * customer). Zendesk: `PUT /api/v2/tickets/{id}.json` with a comment, as the API token's agent;
 * Freshdesk: `POST /api/v2/tickets/{id}/notes` (private) or `/reply`, with the API key.
 */
export const helpdeskCall = (
  hook: Pick<Webhook, 'url' | 'apiUser' | 'reply'> & { readonly format: HelpdeskFormat },
  apiToken: string,
  d: DeliveryRecord,
): HelpdeskCall => {
  const ticket = helpdeskTicketOf(hook.format, d.ticketId);
  if (!ticket) throw new RangeError(`${d.ticketId} is not a ${hook.format} ticket`);
  const base = hook.url.replace(/\/+$/, '');
  const isPublic = hook.reply === 'public' && d.audience === 'customer';
  const text = helpdeskText(d);
  if (hook.format === 'zendesk')
    return {
      method: 'PUT',
      url: `${base}/api/v2/tickets/${ticket}.json`,
      headers: {
        authorization: `Basic ${Buffer.from(`${hook.apiUser ?? ''}/token:${apiToken}`).toString('base64')}`,
      },
      body: { ticket: { comment: { body: text, public: isPublic } } },
    };
  const html = escapeHtml(text).replaceAll('\n', '<br>');
  return {
    method: 'POST',
    url: `${base}/api/v2/tickets/${ticket}/${isPublic ? 'reply' : 'notes'}`,
    headers: { authorization: `Basic ${Buffer.from(`${apiToken}:X`).toString('base64')}` },
    body: isPublic ? { body: html } : { body: html, private: true },
  };
};

/** The body a webhook of `format` receives. */
export const formattedBody = (
  format: Exclude<WebhookFormat, 'heed' | HelpdeskFormat>,
  d: DeliveryRecord,
  link: string | null,
  routingKey: string,
): unknown =>
  format === 'slack'
    ? slackMessage(d, link)
    : format === 'teams'
      ? teamsMessage(d, link)
      : pagerDutyEvent(d, routingKey, link);
