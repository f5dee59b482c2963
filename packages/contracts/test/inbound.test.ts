import { describe, expect, it } from 'vitest';
import { INBOUND_EVENT_TYPES, parseJson, validateInboundEvent as validate } from '../src';

const NOW = new Date('2026-11-23T12:00:00Z');
const validateInboundEvent = (input: unknown, actor?: 'heed') =>
  validate(input, { now: NOW, ...(actor && { actor }) });

const opened = {
  id: 'evt-1',
  type: 'ticket.opened',
  ticketId: 'T-1',
  occurredAt: '2026-11-23T09:15:00+09:00',
  data: {
    channel: 'email',
    priority: 'high',
    subject: 'Printer on fire',
    customer: {
      id: 'c-1',
      name: 'Aiko',
      email: 'aiko@example.com',
      locale: 'ja-JP',
      timeZone: 'Asia/Tokyo',
      tier: 'gold',
    },
  },
};

describe('validateInboundEvent', () => {
  it('accepts a complete ticket.opened and applies defaults', () => {
    const result = validateInboundEvent({ ...opened, data: { ...opened.data, priority: undefined } });
    expect(result.ok).toBe(true);
    if (result.ok && result.value.type === 'ticket.opened') {
      expect(result.value.data.priority).toBe('normal');
      expect(result.value.data.createdBy).toBe('customer');
    }
  });

  it('accepts unknown fields at every level and leaves them out of the typed event (kept verbatim elsewhere)', () => {
    const result = validateInboundEvent({ ...opened, extra: 1, data: { ...opened.data, crmId: 'x' } });
    expect(result.ok).toBe(true);
    expect(result.ok && 'extra' in result.value).toBe(false);
    expect(result.ok && 'crmId' in result.value.data).toBe(false);
  });

  it('names every offending field path', () => {
    const result = validateInboundEvent({
      ...opened,
      id: '',
      occurredAt: 'yesterday',
      data: {
        ...opened.data,
        channel: 'pigeon',
        customer: { id: 'c', email: 'nope', timeZone: 'Mars/Olympus' },
      },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((i) => i.path).sort()).toEqual(
        ['data.channel', 'data.customer.email', 'data.customer.timeZone', 'id', 'occurredAt'].sort(),
      );
    }
  });

  it('rejects an unknown type by name and still names bad envelope fields', () => {
    const result = validateInboundEvent({ id: 'e', type: 'ticket.exploded', occurredAt: 'x' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues[0]).toMatchObject({ path: 'type' });
      expect(result.issues[0]?.message).toContain('ticket.exploded');
      expect(result.issues.map((i) => i.path)).toEqual(['type', 'ticketId', 'occurredAt']);
    }
  });

  it('rejects non-objects at the root', () => {
    for (const input of [null, 'x', 3, []]) {
      const result = validateInboundEvent(input);
      expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['(root)']);
    }
  });

  it('requires an offset on occurredAt so the instant is unambiguous', () => {
    expect(validateInboundEvent({ ...opened, occurredAt: '2026-11-23T09:15:00' }).ok).toBe(false);
    expect(validateInboundEvent({ ...opened, occurredAt: '2026-11-23T00:15:00Z' }).ok).toBe(true);
  });

  it.each([
    ['customer.replied', {}],
    ['agent.replied', { agentId: 'a-1', public: false }],
    ['ticket.status_changed', { status: 'pending' }],
    ['ticket.priority_changed', { priority: 'urgent' }],
    ['ticket.assigned', { groupId: 'billing' }],
    ['feedback.received', { score: 2, comment: 'meh' }],
  ])('accepts %s', (type, data) => {
    expect(
      validateInboundEvent({ id: 'e', ticketId: 't', occurredAt: '2026-01-01T00:00:00Z', type, data }).ok,
    ).toBe(true);
  });

  it.each([
    ['agent.replied', {}, 'data.agentId'],
    ['ticket.status_changed', { status: 'deleted' }, 'data.status'],
    ['ticket.assigned', {}, 'data'],
    ['feedback.received', { score: 9 }, 'data.score'],
    ['feedback.received', { score: 2.5 }, 'data.score'],
  ])('rejects bad %s data %j at %s', (type, data, path) => {
    const result = validateInboundEvent({
      id: 'e',
      ticketId: 't',
      occurredAt: '2026-01-01T00:00:00Z',
      type,
      data,
    });
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toContain(path);
  });

  it.each([
    ['a control character', 'a\u0001b', 'control character U+0001'],
    ['DEL', 'a\u007fb', 'control character U+007F'],
    ['a C1 control', 'a\u0085b', 'control character U+0085'],
    ['a lone high surrogate', 'a\ud800', 'lone surrogate'],
    ['a lone low surrogate', '\udc00a', 'lone surrogate'],
    ['the noncharacter U+FFFE', 'a\ufffe', 'noncharacter U+FFFE'],
    ['a plane-1 noncharacter', 'a\ud83f\udfff', 'noncharacter U+1FFFF'],
    ['U+FDD0', 'a\ufdd0', 'noncharacter U+FDD0'],
    ['leading whitespace', ' a', 'whitespace'],
    ['trailing whitespace', 'a\t', 'control character U+0009'],
  ])('rejects an id with %s, in every id field', (_what, bad, message) => {
    const result = validateInboundEvent({
      ...opened,
      id: bad,
      ticketId: bad,
      data: { ...opened.data, customer: { ...opened.data.customer, id: bad, tier: bad } },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((i) => i.path).sort()).toEqual(
        ['data.customer.id', 'data.customer.tier', 'id', 'ticketId'].sort(),
      );
      for (const issue of result.issues) expect(issue.message).toContain(message);
    }
  });

  it('accepts ids in any script, emoji included (a surrogate pair is one character)', () => {
    for (const id of ['チケット-1', 'Ärger#1', 'a😀b', 'x/y', '%41']) {
      expect(validateInboundEvent({ ...opened, id, ticketId: id }).ok, id).toBe(true);
    }
  });

  it('rejects "." and ".." as ticket ids, and reserves the heed: prefix for Heed', () => {
    for (const ticketId of ['.', '..']) {
      const r = validateInboundEvent({ ...opened, ticketId });
      expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['ticketId']);
    }
    const reserved = validateInboundEvent({ ...opened, id: 'heed:x' });
    expect(reserved.ok ? [] : reserved.issues.map((i) => i.path)).toEqual(['id']);
    expect(validateInboundEvent({ ...opened, id: 'heed:x' }, 'heed').ok).toBe(true);
    // Heed's own tickets (linked tickets): only Heed opens them; producers answer them.
    const linked = validateInboundEvent({ ...opened, ticketId: 'heed:T-7~1' });
    expect(linked.ok ? [] : linked.issues.map((i) => i.path)).toEqual(['ticketId']);
    expect(validateInboundEvent({ ...opened, ticketId: 'heed:T-7~1' }, 'heed').ok).toBe(true);
    const answer = { id: 'r1', type: 'agent.replied', ticketId: 'heed:T-7~1', occurredAt: opened.occurredAt };
    expect(validateInboundEvent({ ...answer, data: { agentId: 'a1' } }).ok).toBe(true);
  });

  it('takes ids of 1 to 128 characters, as documented, for every id field', () => {
    const ok = 'x'.repeat(128);
    expect(validateInboundEvent({ ...opened, id: ok, ticketId: ok }).ok).toBe(true);
    const long = 'x'.repeat(129);
    const r = validateInboundEvent({ ...opened, id: long, ticketId: long });
    expect(r.ok ? [] : r.issues.map((i) => i.path).sort()).toEqual(['id', 'ticketId']);
  });

  it('keeps occurredAt in a sane range, with 0 to 9 fraction digits as other languages write them', () => {
    const at = (occurredAt: string) => validateInboundEvent({ ...opened, occurredAt });
    expect(at('1999-12-31T23:59:59Z').ok).toBe(false);
    expect(at('2000-01-01T00:00:00Z').ok).toBe(true);
    expect(at('2026-11-23T12:15:00Z').ok).toBe(true); // 15 minutes ahead of Heed's clock
    expect(at('2026-11-23T12:15:00.001Z').ok).toBe(false);
    expect(at('2026-11-23T09:15:00.123+09:00').ok).toBe(true);
    // Python's isoformat() (6), .NET's "o" (7), Go's RFC3339Nano and Java's Instant (up to 9).
    for (const digits of ['1', '123456', '1234567', '123456789'])
      expect(at(`2026-11-23T09:15:00.${digits}+09:00`).ok).toBe(true);
    const tooFine = at('2026-11-23T09:15:00.1234567891+09:00');
    expect(tooFine.ok ? [] : tooFine.issues).toEqual([
      { path: 'occurredAt', message: expect.stringContaining('9 fraction digits') },
    ]);
  });

  it('names a number that cannot be represented exactly where a number is needed', () => {
    const parsed = parseJson(
      '{"id":"e","type":"feedback.received","ticketId":"t","occurredAt":"2026-01-01T00:00:00Z","data":{"score":1e400}}',
    );
    const result = validateInboundEvent(parsed.ok ? parsed.value : null);
    expect(result.ok ? [] : result.issues).toEqual([
      { path: 'data.score', message: expect.stringContaining('cannot be represented exactly') },
    ]);
  });

  it('rejects lone surrogates in free text (it could not be stored) but accepts any well-formed text', () => {
    const lone = validateInboundEvent({ ...opened, data: { ...opened.data, subject: 'x\ud800' } });
    expect(lone.ok ? [] : lone.issues.map((i) => i.path)).toEqual(['data.subject']);
    expect(
      validateInboundEvent({ ...opened, data: { ...opened.data, subject: '火事です 🔥\u0000\n' } }).ok,
    ).toBe(true);
  });

  it('lists every inbound type of the design', () => {
    expect([...INBOUND_EVENT_TYPES].sort()).toEqual(
      [
        'agent.replied',
        'customer.replied',
        'feedback.received',
        'ticket.assigned',
        'ticket.opened',
        'ticket.priority_changed',
        'ticket.status_changed',
      ].sort(),
    );
  });
});
