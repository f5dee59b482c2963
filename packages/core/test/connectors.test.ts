import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { validateInboundEvent } from '@heed/contracts';
import { describe, expect, it } from 'vitest';
import {
  chatwootEvents,
  HEED_MARKER,
  helpScoutEvents,
  type Mapped,
  signatureProblem,
  zendeskEvents,
} from '../src';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL(`../../../test/fixtures/connectors/${name}.json`, import.meta.url), 'utf8'),
  );
const events = (m: Mapped) => ('events' in m ? m.events : []);

describe('Chatwoot payloads (as its webhook documentation shows them)', () => {
  it('map to valid Heed events with deterministic ids', () => {
    const mapped = [
      'chatwoot-conversation-created',
      'chatwoot-message-incoming',
      'chatwoot-message-outgoing',
      'chatwoot-status-resolved',
    ].flatMap((f) => events(chatwootEvents(fixture(f))));
    expect(mapped.map((e) => [e.type, e.id, e.ticketId])).toEqual([
      ['ticket.opened', 'cw-open-10', 'cw-10'],
      ['customer.replied', 'cw-msg-118', 'cw-10'],
      ['agent.replied', 'cw-msg-119', 'cw-10'],
      ['ticket.status_changed', 'cw-status-10-solved-1795426200000', 'cw-10'],
    ]);
    for (const e of mapped)
      expect(validateInboundEvent(e, { now: new Date('2026-11-24T00:00:00Z') }).ok, String(e.id)).toBe(true);
    expect(mapped[0]).toMatchObject({
      occurredAt: '2026-11-23T09:00:00.000Z',
      data: {
        channel: 'chat',
        customer: { id: 'cw-contact-14', name: 'Jane Roe', email: 'jane@example.com' },
      },
    });
    expect(mapped[2]?.data).toEqual({ agentId: 'cw-user-1', public: true, messageId: 'cw-msg-119' });
    // The same delivery again maps to the same ids: intake takes it as a duplicate.
    expect(chatwootEvents(fixture('chatwoot-message-incoming'))).toEqual(
      chatwootEvents(fixture('chatwoot-message-incoming')),
    );
  });

  it("take a private message as an internal note, and ignore bots, activities and Heed's own messages, saying why", () => {
    const outgoing = fixture('chatwoot-message-outgoing');
    expect(events(chatwootEvents({ ...outgoing, private: true }))[0]?.data).toMatchObject({ public: false });
    for (const [payload, why] of [
      [{ ...outgoing, sender: { id: 3, type: 'agent_bot' } }, /bot/],
      [{ ...outgoing, message_type: 'activity' }, /activity/],
      [{ ...outgoing, message_type: 2 }, /activity/],
      [{ ...outgoing, content: `Acknowledged. ${HEED_MARKER}d-1` }, /Heed's own/],
      [{ ...fixture('chatwoot-status-resolved'), status: 'weird' }, /no Heed status/],
      [{ event: 'contact_created', id: 1 }, /not mapped/],
      [{}, /not mapped/],
      [[1, 2], /not mapped/],
    ] as const) {
      const m = chatwootEvents(payload);
      expect('ignored' in m && m.ignored, JSON.stringify(payload).slice(0, 60)).toMatch(why);
    }
  });
});

describe('Help Scout payloads (v2 Conversation objects)', () => {
  it('map each event to the thread it is about, with deterministic ids', () => {
    const created = events(helpScoutEvents('convo.created', fixture('helpscout-convo-created')));
    expect(created).toEqual([
      {
        id: 'hs-open-2391938111',
        type: 'ticket.opened',
        ticketId: 'hs-2391938111',
        occurredAt: '2026-11-23T09:00:00.000Z',
        data: {
          channel: 'email',
          subject: 'Invoice is wrong',
          createdBy: 'customer',
          customer: { id: 'hs-customer-12', name: 'Ana Silva', email: 'ana@example.com' },
        },
      },
    ]);
    const reply = fixture('helpscout-agent-reply');
    expect(events(helpScoutEvents('convo.agent.reply.created', reply))).toEqual([
      {
        id: 'hs-thread-5003',
        type: 'agent.replied',
        ticketId: 'hs-2391938111',
        occurredAt: '2026-11-23T10:30:00.000Z',
        data: { agentId: 'hs-user-7', public: true, messageId: 'hs-thread-5003' },
      },
    ]);
    expect(events(helpScoutEvents('convo.note.created', reply))[0]).toMatchObject({
      id: 'hs-thread-5002',
      data: { public: false },
    });
    expect(events(helpScoutEvents('convo.customer.reply.created', reply))[0]).toMatchObject({
      id: 'hs-thread-5001',
      type: 'customer.replied',
    });
    expect(events(helpScoutEvents('convo.status', reply))[0]).toMatchObject({
      type: 'ticket.status_changed',
      data: { status: 'pending' },
    });
    expect(events(helpScoutEvents('convo.assigned', reply))[0]).toMatchObject({
      type: 'ticket.assigned',
      data: { agentId: 'hs-user-7' },
    });
    for (const e of [...created, ...events(helpScoutEvents('convo.status', reply))])
      expect(validateInboundEvent(e, { now: new Date('2026-11-24T00:00:00Z') }).ok).toBe(true);
  });

  it("ignores what it cannot map and Heed's own notes, saying why", () => {
    const reply = fixture('helpscout-agent-reply');
    const threads = (reply._embedded as { threads: Record<string, unknown>[] }).threads;
    const marked = {
      ...reply,
      _embedded: { threads: [{ ...threads[0], body: `Escalated. ${HEED_MARKER}d-9` }, ...threads.slice(1)] },
    };
    for (const [type, payload, why] of [
      ['convo.agent.reply.created', marked, /Heed's own/],
      ['convo.tags', reply, /not mapped/],
      [undefined, reply, /not mapped/],
      ['convo.created', {}, /conversation id/],
      ['convo.agent.reply.created', { id: 1 }, /no message thread/],
    ] as const) {
      const m = helpScoutEvents(type, payload);
      expect('ignored' in m && m.ignored, String(type)).toMatch(why);
    }
  });
});

describe('Zendesk event webhooks (zen:event-type:ticket.*)', () => {
  it('map a ticket, its comments and its changes to valid Heed events with deterministic ids', () => {
    const created = fixture('zendesk-ticket-created');
    const comment = fixture('zendesk-comment-added');
    const solved = fixture('zendesk-status-changed');
    expect(events(zendeskEvents(created))).toEqual([
      {
        id: 'zd-open-5158',
        type: 'ticket.opened',
        ticketId: 'zd-5158',
        occurredAt: '2026-11-23T09:00:00.000Z',
        data: {
          channel: 'web',
          priority: 'high',
          subject: 'Cannot log in to the mobile app',
          createdBy: 'customer',
          customer: { id: 'zd-user-8447388090400' },
        },
      },
    ]);
    expect(events(zendeskEvents(comment))).toEqual([
      {
        id: 'zd-comment-9876543210',
        type: 'agent.replied',
        ticketId: 'zd-5158',
        occurredAt: '2026-11-23T09:40:00.000Z',
        data: { agentId: 'zd-user-8447388090495', public: true, messageId: 'zd-comment-9876543210' },
      },
    ]);
    const ev = comment.event as { comment: Record<string, unknown> };
    const withComment = (c: Record<string, unknown>) => ({
      ...comment,
      event: { comment: { ...ev.comment, ...c } },
    });
    expect(events(zendeskEvents(withComment({ is_public: false })))[0]?.data).toMatchObject({
      public: false,
    });
    expect(
      events(zendeskEvents(withComment({ author: { id: '8447388090400', is_staff: false } })))[0],
    ).toMatchObject({ type: 'customer.replied', data: { messageId: 'zd-comment-9876543210' } });
    const changes = [
      solved,
      { ...solved, id: 'E2', type: 'zen:event-type:ticket.priority_changed', event: { current: 'URGENT' } },
      { ...solved, id: 'E3', type: 'zen:event-type:ticket.agent_assignment_changed', event: {} },
      { ...solved, id: 'E4', type: 'zen:event-type:ticket.group_assignment_changed', event: {} },
      { ...solved, id: 'E5', type: 'zen:event-type:ticket.status_changed', event: { current: 'HOLD' } },
    ].flatMap((p) => events(zendeskEvents(p)));
    expect(changes.map((e) => [e.id, e.type, e.data])).toEqual([
      ['zd-evt-01JD93K1M2N3P4Q5R6S7T8V9WX', 'ticket.status_changed', { status: 'solved' }],
      ['zd-evt-E2', 'ticket.priority_changed', { priority: 'urgent' }],
      ['zd-evt-E3', 'ticket.assigned', { agentId: 'zd-user-8447388090495' }],
      ['zd-evt-E4', 'ticket.assigned', { groupId: 'zd-group-360003' }],
      ['zd-evt-E5', 'ticket.status_changed', { status: 'on_hold' }],
    ]);
    const agentMade = { ...created, detail: { ...(created.detail as object), submitter_id: '99' } };
    expect(events(zendeskEvents(agentMade))[0]?.data).toMatchObject({ createdBy: 'agent' });
    for (const e of [...events(zendeskEvents(created)), ...events(zendeskEvents(comment)), ...changes])
      expect(validateInboundEvent(e, { now: new Date('2026-11-24T00:00:00Z') }).ok, String(e.id)).toBe(true);
    // A redelivery carries the same event id: the same Heed ids, a duplicate for intake.
    expect(zendeskEvents(solved)).toEqual(zendeskEvents(structuredClone(solved)));
  });

  it("ignore what they cannot map and Heed's own comments, saying why", () => {
    const comment = fixture('zendesk-comment-added');
    const solved = fixture('zendesk-status-changed');
    const ev = comment.event as { comment: Record<string, unknown> };
    for (const [payload, why] of [
      [
        { ...comment, event: { comment: { ...ev.comment, body: `Escalated. ${HEED_MARKER}d-1` } } },
        /Heed's own/,
      ],
      [{ ...solved, event: { current: 'WEIRD' }, detail: { id: '5158' } }, /no Heed status/],
      [{ ...solved, type: 'zen:event-type:ticket.tags_changed' }, /not mapped/],
      [{ ...solved, type: 'zen:event-type:user.created' }, /not mapped/],
      [
        {
          ...solved,
          type: 'zen:event-type:ticket.agent_assignment_changed',
          detail: { id: '5158', assignee_id: null },
        },
        /unassigned/,
      ],
      [{ ...solved, id: undefined }, /without its ticket, id or time/],
      [{ ...comment, event: {} }, /without its id or author/],
      [{}, /not mapped/],
    ] as const) {
      const m = zendeskEvents(payload);
      expect('ignored' in m && m.ignored, JSON.stringify(payload).slice(0, 80)).toMatch(why);
    }
  });
});

describe('product signatures', () => {
  const body = Buffer.from('{"event":"message_created","id":118}');
  const now = Date.UTC(2026, 10, 23, 9, 0, 0);
  it("accept Help Scout's base64 HMAC-SHA1 of the body and refuse anything else", () => {
    const signature = createHmac('sha1', 's3cret').update(body).digest('base64');
    expect(
      signatureProblem('helpscout', 's3cret', body, { 'x-helpscout-signature': signature }, now),
    ).toBeNull();
    expect(signatureProblem('helpscout', 'other', body, { 'x-helpscout-signature': signature }, now)).toMatch(
      /does not match/,
    );
    expect(signatureProblem('helpscout', 's3cret', body, {}, now)).toMatch(/missing/);
  });

  it("accept Chatwoot's sha256=<hex> over <timestamp>.<body> within five minutes, and refuse replays", () => {
    const ts = String(now / 1000);
    const signature = `sha256=${createHmac('sha256', 'cw').update(`${ts}.${body.toString()}`).digest('hex')}`;
    const headers = { 'x-chatwoot-signature': signature, 'x-chatwoot-timestamp': ts };
    expect(signatureProblem('chatwoot', 'cw', body, headers, now)).toBeNull();
    expect(signatureProblem('chatwoot', 'cw', body, headers, now + 301_000)).toMatch(/five minutes/);
    expect(signatureProblem('chatwoot', 'cw', Buffer.from(`${body} `), headers, now)).toMatch(
      /does not match/,
    );
    expect(signatureProblem('chatwoot', 'cw', body, { 'x-chatwoot-signature': signature }, now)).toMatch(
      /missing/,
    );
  });

  it("accept Zendesk's base64 HMAC-SHA256 over <timestamp><body> within five minutes, and refuse replays", () => {
    const ts = new Date(now).toISOString().replace('.000', '');
    const signature = createHmac('sha256', 'zd').update(`${ts}${body.toString()}`).digest('base64');
    const headers = {
      'x-zendesk-webhook-signature': signature,
      'x-zendesk-webhook-signature-timestamp': ts,
    };
    expect(signatureProblem('zendesk', 'zd', body, headers, now)).toBeNull();
    expect(signatureProblem('zendesk', 'zd', body, headers, now - 301_000)).toMatch(/five minutes/);
    expect(signatureProblem('zendesk', 'other', body, headers, now)).toMatch(/does not match/);
    expect(
      signatureProblem(
        'zendesk',
        'zd',
        body,
        { ...headers, 'x-zendesk-webhook-signature-timestamp': 'x' },
        now,
      ),
    ).toMatch(/five minutes/);
    expect(
      signatureProblem('zendesk', 'zd', body, { 'x-zendesk-webhook-signature': signature }, now),
    ).toMatch(/missing/);
  });
});
