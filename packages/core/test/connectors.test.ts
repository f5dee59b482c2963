import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { validateInboundEvent } from '@heed/contracts';
import { describe, expect, it } from 'vitest';
import { chatwootEvents, HEED_MARKER, helpScoutEvents, type Mapped, signatureProblem } from '../src';

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
});
