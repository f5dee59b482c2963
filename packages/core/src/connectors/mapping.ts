import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Inbound connectors (issue 17): what a helpdesk or chat tool posts in its own fixed format,
 * verified with that product's signature and mapped to Heed's events. Pure: the intake route
 * verifies with the connector's secret and posts the events through the same path as
 * `POST /v1/events`. Ids are deterministic (a redelivery is a duplicate); what cannot be mapped
 * is `ignored` with the reason, never an error the product would retry forever.
 */

export const CONNECTOR_PROVIDERS = ['chatwoot', 'helpscout', 'zendesk'] as const;
export type ConnectorProvider = (typeof CONNECTOR_PROVIDERS)[number];

/**
 * What Heed writes into a helpdesk's own ticket carries this text, so that a connector never
 * takes Heed's own note or reply for an agent's (which would stop a clock).
 */
export const HEED_MARKER = 'heed-delivery:';

/**
 * How a helpdesk's tickets are named in Heed (`zd-5158`, `fd-42`): the Zendesk connector and the
 * recipes name them so, and write-back finds the helpdesk's own ticket by that name.
 */
export const HELPDESK_TICKET_PREFIX = { zendesk: 'zd', freshdesk: 'fd' } as const;

/** An event as a producer would post it (validated by intake like any other). */
export type MappedEvent = Readonly<Record<string, unknown>>;
export type Mapped = { readonly events: readonly MappedEvent[] } | { readonly ignored: string };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

/** Unix seconds, an ISO string or Chatwoot's "2020-03-03 13:05:57 UTC": as an ISO instant, or null. */
export const instantOf = (v: unknown): string | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v * 1000).toISOString();
  if (typeof v !== 'string' || v === '') return null;
  const t = Date.parse(v.replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$/, '$1T$2Z'));
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

const customerOf = (prefix: string, person: Json, fallbackName?: string) => {
  const id = str(person.id);
  if (!id) return null;
  const name =
    str(person.name) ?? ([str(person.first), str(person.last)].filter(Boolean).join(' ') || fallbackName);
  const email = str(person.email);
  return { id: `${prefix}-${id}`, ...(name && { name }), ...(email && { email }) };
};

/** One mapped event, as a producer would post it. */
const heedEvent = (
  id: string,
  type: string,
  ticketId: string,
  occurredAt: string,
  data: Json,
): MappedEvent => ({
  id,
  type,
  ticketId,
  occurredAt,
  data,
});

const marked = (text: unknown): boolean => typeof text === 'string' && text.includes(HEED_MARKER);

// ---- Chatwoot --------------------------------------------------------------------------------

const CHATWOOT_CHANNELS: Readonly<Record<string, string>> = {
  'Channel::WebWidget': 'chat',
  'Channel::Email': 'email',
  'Channel::Api': 'api',
  'Channel::Sms': 'sms',
  'Channel::TwilioSms': 'sms',
  'Channel::Whatsapp': 'sms',
  'Channel::FacebookPage': 'social',
  'Channel::TwitterProfile': 'social',
  'Channel::Instagram': 'social',
  'Channel::Telegram': 'social',
  'Channel::Line': 'social',
};

/** Chatwoot's conversation statuses as Heed's ("pending" there is a bot's queue, not waiting on the customer). */
const CHATWOOT_STATUS: Readonly<Record<string, string>> = {
  open: 'open',
  pending: 'open',
  snoozed: 'on_hold',
  resolved: 'solved',
};

/** Message types as Chatwoot sends them: names in webhooks, numbers inside a conversation's messages. */
const chatwootMessageType = (v: unknown): string =>
  typeof v === 'number' ? (['incoming', 'outgoing', 'activity', 'template'][v] ?? 'unknown') : String(v);

export const chatwootEvents = (payload: unknown): Mapped => {
  const p = obj(payload);
  const event = str(p.event);
  switch (event) {
    case 'conversation_created': {
      const id = str(p.id);
      const customer = customerOf('cw-contact', obj(obj(p.meta).sender));
      const at = instantOf(p.created_at) ?? instantOf(p.timestamp);
      if (!id || !customer || !at) return { ignored: 'a conversation without its id, contact or time' };
      return {
        events: [
          {
            id: `cw-open-${id}`,
            type: 'ticket.opened',
            ticketId: `cw-${id}`,
            occurredAt: at,
            data: { channel: CHATWOOT_CHANNELS[String(p.channel)] ?? 'chat', customer },
          },
        ],
      };
    }
    case 'message_created': {
      const conversation = str(obj(p.conversation).id);
      const id = str(p.id);
      const at = instantOf(p.created_at);
      if (!conversation || !id || !at) return { ignored: 'a message without its id, conversation or time' };
      const sender = obj(p.sender);
      const type = chatwootMessageType(p.message_type);
      if (marked(p.content)) return { ignored: "Heed's own message, written back into Chatwoot" };
      const base = { id: `cw-msg-${id}`, ticketId: `cw-${conversation}`, occurredAt: at };
      if (type === 'incoming')
        return { events: [{ ...base, type: 'customer.replied', data: { messageId: `cw-msg-${id}` } }] };
      if (type === 'outgoing') {
        if (sender.type === 'agent_bot') return { ignored: "a bot's message is no person's answer" };
        const agent = str(sender.id);
        if (!agent) return { ignored: 'an outgoing message without its sender' };
        return {
          events: [
            {
              ...base,
              type: 'agent.replied',
              data: { agentId: `cw-user-${agent}`, public: p.private !== true, messageId: `cw-msg-${id}` },
            },
          ],
        };
      }
      return { ignored: `a ${type} message says nothing about the customer or an answer` };
    }
    case 'conversation_status_changed': {
      const id = str(p.id);
      const status = CHATWOOT_STATUS[String(p.status)];
      const at = instantOf(p.timestamp) ?? instantOf(p.updated_at);
      if (!id || !at) return { ignored: 'a status change without its conversation or time' };
      if (!status) return { ignored: `Chatwoot status "${String(p.status)}" has no Heed status` };
      return {
        events: [
          heedEvent(`cw-status-${id}-${status}-${Date.parse(at)}`, 'ticket.status_changed', `cw-${id}`, at, {
            status,
          }),
        ],
      };
    }
    default:
      return { ignored: `Chatwoot event "${event ?? 'none'}" is not mapped` };
  }
};

// ---- Help Scout ------------------------------------------------------------------------------

const HELPSCOUT_STATUS: Readonly<Record<string, string>> = {
  active: 'open',
  pending: 'pending',
  closed: 'solved',
  spam: 'closed',
};
const HELPSCOUT_CHANNELS: Readonly<Record<string, string>> = { email: 'email', chat: 'chat', phone: 'phone' };

/** The conversation's newest thread of `type` (the v2 body lists threads newest first, but do not rely on it). */
const newestThread = (conversation: Json, type: string): Json | null => {
  const threads = obj(conversation._embedded).threads;
  const matching = (Array.isArray(threads) ? threads : [])
    .map(obj)
    .filter((t) => t.type === type && str(t.id) && instantOf(t.createdAt));
  matching.sort((a, b) => Date.parse(String(b.createdAt)) - Date.parse(String(a.createdAt)));
  return matching[0] ?? null;
};

/** `eventType` is the `X-HelpScout-Event` header; the body is the v2 Conversation object. */
export const helpScoutEvents = (eventType: string | undefined, payload: unknown): Mapped => {
  const c = obj(payload);
  const id = str(c.id);
  if (!id) return { ignored: 'a body without a conversation id' };
  const ticketId = `hs-${id}`;
  const reply = (threadType: string, make: (t: Json, at: string) => MappedEvent | null): Mapped => {
    const thread = newestThread(c, threadType);
    if (!thread) return { ignored: `no ${threadType} thread in the conversation` };
    if (marked(thread.body)) return { ignored: "Heed's own message, written back into Help Scout" };
    const event = make(thread, instantOf(thread.createdAt) as string);
    return event ? { events: [event] } : { ignored: `a ${threadType} thread without its author` };
  };
  switch (eventType) {
    case 'convo.created': {
      const customer = customerOf('hs-customer', obj(c.primaryCustomer ?? c.customer));
      const at = instantOf(c.createdAt);
      if (!customer || !at) return { ignored: 'a conversation without its customer or time' };
      const subject = str(c.subject);
      return {
        events: [
          {
            id: `hs-open-${id}`,
            type: 'ticket.opened',
            ticketId,
            occurredAt: at,
            data: {
              channel: HELPSCOUT_CHANNELS[String(c.type)] ?? 'email',
              ...(subject && { subject }),
              createdBy: obj(c.createdBy).type === 'user' ? 'agent' : 'customer',
              customer,
            },
          },
        ],
      };
    }
    case 'convo.customer.reply.created':
      return reply('customer', (t, at) => ({
        id: `hs-thread-${String(t.id)}`,
        type: 'customer.replied',
        ticketId,
        occurredAt: at,
        data: { messageId: `hs-thread-${String(t.id)}` },
      }));
    case 'convo.agent.reply.created':
    case 'convo.note.created': {
      const note = eventType === 'convo.note.created';
      return reply(note ? 'note' : 'message', (t, at) => {
        const agent = str(obj(t.createdBy).id);
        return agent
          ? {
              id: `hs-thread-${String(t.id)}`,
              type: 'agent.replied',
              ticketId,
              occurredAt: at,
              data: { agentId: `hs-user-${agent}`, public: !note, messageId: `hs-thread-${String(t.id)}` },
            }
          : null;
      });
    }
    case 'convo.status': {
      const status = HELPSCOUT_STATUS[String(c.status)];
      const at = instantOf(c.userUpdatedAt) ?? instantOf(c.closedAt);
      if (!status) return { ignored: `Help Scout status "${String(c.status)}" has no Heed status` };
      if (!at) return { ignored: 'a status change without its time' };
      return {
        events: [
          heedEvent(`hs-status-${id}-${status}-${Date.parse(at)}`, 'ticket.status_changed', ticketId, at, {
            status,
          }),
        ],
      };
    }
    case 'convo.assigned': {
      const agent = str(obj(c.assignee).id);
      const at = instantOf(c.userUpdatedAt);
      if (!agent || !at) return { ignored: 'an assignment without its assignee or time' };
      return {
        events: [
          heedEvent(`hs-assign-${id}-${agent}-${Date.parse(at)}`, 'ticket.assigned', ticketId, at, {
            agentId: `hs-user-${agent}`,
          }),
        ],
      };
    }
    default:
      return { ignored: `Help Scout event "${eventType ?? 'none'}" is not mapped` };
  }
};

// ---- Zendesk event webhooks --------------------------------------------------------------------

/** `detail.via.channel` as Heed's channel (Zendesk has many more names; the rest come in by web). */
const ZENDESK_CHANNELS: Readonly<Record<string, string>> = {
  email: 'email',
  web: 'web',
  web_form: 'web',
  chat: 'chat',
  web_widget: 'chat',
  mobile_sdk: 'chat',
  messaging: 'chat',
  native_messaging: 'chat',
  voice: 'phone',
  phone: 'phone',
  sms: 'sms',
  text_message: 'sms',
  whatsapp: 'sms',
  facebook: 'social',
  twitter: 'social',
  instagram_dm: 'social',
  api: 'api',
};
const ZENDESK_STATUS: Readonly<Record<string, string>> = {
  NEW: 'open',
  OPEN: 'open',
  PENDING: 'pending',
  HOLD: 'on_hold',
  SOLVED: 'solved',
  CLOSED: 'closed',
};
const ZENDESK_PRIORITY = new Set(['low', 'normal', 'high', 'urgent']);

/**
 * A Zendesk event webhook's body (`zen:event-type:ticket.*`): `detail` is the ticket after the
 * event, `event` what changed. Ids are the comment's or Zendesk's own event id, so a
 * redelivery (same event id) is a duplicate and two edits never share one.
 */
export const zendeskEvents = (payload: unknown): Mapped => {
  const p = obj(payload);
  const type = str(p.type) ?? 'none';
  const detail = obj(p.detail);
  const ticket = str(detail.id) ?? /^zen:ticket:(\d+)$/.exec(String(p.subject))?.[1];
  const at = instantOf(p.time);
  const eventId = str(p.id);
  if (!type.startsWith('zen:event-type:ticket.')) return { ignored: `Zendesk event "${type}" is not mapped` };
  if (!ticket || !at || !eventId) return { ignored: 'a ticket event without its ticket, id or time' };
  const ticketId = `${HELPDESK_TICKET_PREFIX.zendesk}-${ticket}`;
  const one = (kind: string, data: Json, id = `zd-evt-${eventId}`): Mapped => ({
    events: [heedEvent(id, kind, ticketId, at, data)],
  });
  switch (type.slice('zen:event-type:'.length)) {
    case 'ticket.created': {
      const requester = str(detail.requester_id);
      if (!requester) return { ignored: 'a ticket without its requester' };
      const priority = String(detail.priority ?? '').toLowerCase();
      const subject = str(detail.subject);
      const submitter = str(detail.submitter_id);
      return {
        events: [
          heedEvent(`zd-open-${ticket}`, 'ticket.opened', ticketId, instantOf(detail.created_at) ?? at, {
            channel: ZENDESK_CHANNELS[String(obj(detail.via).channel)] ?? 'web',
            ...(ZENDESK_PRIORITY.has(priority) && { priority }),
            ...(subject && { subject: subject.slice(0, 1000) }),
            // An agent opening a ticket for a customer is its submitter, not its requester.
            createdBy: submitter && submitter !== requester ? 'agent' : 'customer',
            customer: { id: `zd-user-${requester}` },
          }),
        ],
      };
    }
    case 'ticket.comment_added': {
      const comment = obj(obj(p.event).comment);
      const id = str(comment.id);
      const author = obj(comment.author);
      const authorId = str(author.id);
      if (!id || !authorId) return { ignored: 'a comment without its id or author' };
      if (marked(comment.body)) return { ignored: "Heed's own message, written back into Zendesk" };
      const messageId = `zd-comment-${id}`;
      if (author.is_staff === true)
        return one(
          'agent.replied',
          { agentId: `zd-user-${authorId}`, public: comment.is_public !== false, messageId },
          messageId,
        );
      return one('customer.replied', { messageId }, messageId);
    }
    case 'ticket.status_changed': {
      const given = String(obj(p.event).current ?? detail.status ?? '').toUpperCase();
      const status = ZENDESK_STATUS[given];
      return status
        ? one('ticket.status_changed', { status })
        : { ignored: `Zendesk status "${given}" has no Heed status` };
    }
    case 'ticket.priority_changed': {
      const priority = String(obj(p.event).current ?? detail.priority ?? '').toLowerCase();
      return ZENDESK_PRIORITY.has(priority)
        ? one('ticket.priority_changed', { priority })
        : { ignored: `Zendesk priority "${priority}" has no Heed priority` };
    }
    case 'ticket.agent_assignment_changed': {
      const agent = str(detail.assignee_id);
      return agent && agent !== '0'
        ? one('ticket.assigned', { agentId: `zd-user-${agent}` })
        : { ignored: 'the ticket was unassigned: Heed keeps the last assignee' };
    }
    case 'ticket.group_assignment_changed': {
      const group = str(detail.group_id);
      return group && group !== '0'
        ? one('ticket.assigned', { groupId: `zd-group-${group}` })
        : { ignored: 'the ticket left its group: Heed keeps the last group' };
    }
    default:
      return { ignored: `Zendesk event "${type}" is not mapped` };
  }
};

// ---- Signatures ------------------------------------------------------------------------------

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** A Chatwoot or Zendesk signature older (or newer) than this is refused: a replayed request. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
const withinTolerance = (signedMs: number, nowMs: number): boolean =>
  Number.isFinite(signedMs) && Math.abs(nowMs - signedMs) <= SIGNATURE_TOLERANCE_SECONDS * 1000;

/**
 * Why a request does not carry the product's valid signature over `body` (its raw bytes), or
 * null when it does. Headers are lower-cased.
 */
export const signatureProblem = (
  provider: ConnectorProvider,
  secret: string,
  body: Buffer,
  headers: Readonly<Record<string, string | undefined>>,
  nowMs: number,
): string | null => {
  if (provider === 'zendesk') {
    const given = headers['x-zendesk-webhook-signature'];
    const timestamp = headers['x-zendesk-webhook-signature-timestamp'];
    if (!given || !timestamp)
      return 'X-Zendesk-Webhook-Signature or X-Zendesk-Webhook-Signature-Timestamp is missing';
    if (!withinTolerance(Date.parse(timestamp), nowMs))
      return 'X-Zendesk-Webhook-Signature-Timestamp is not within five minutes of now';
    const expected = createHmac('sha256', secret)
      .update(Buffer.concat([Buffer.from(timestamp), body]))
      .digest('base64');
    return same(given, expected) ? null : 'X-Zendesk-Webhook-Signature does not match';
  }
  if (provider === 'helpscout') {
    const given = headers['x-helpscout-signature'];
    if (!given) return 'X-HelpScout-Signature is missing';
    const expected = createHmac('sha1', secret).update(body).digest('base64');
    return same(given, expected) ? null : 'X-HelpScout-Signature does not match';
  }
  const given = headers['x-chatwoot-signature'];
  const timestamp = headers['x-chatwoot-timestamp'];
  if (!given || !timestamp) return 'X-Chatwoot-Signature or X-Chatwoot-Timestamp is missing';
  if (!/^\d{1,12}$/.test(timestamp) || !withinTolerance(Number(timestamp) * 1000, nowMs))
    return 'X-Chatwoot-Timestamp is not within five minutes of now';
  const expected = `sha256=${createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(`${timestamp}.`), body]))
    .digest('hex')}`;
  return same(given, expected) ? null : 'X-Chatwoot-Signature does not match';
};
