import { describe, expect, it } from 'vitest';
import { INBOUND_EVENT_TYPES, validateInboundEvent } from '../src';

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

  it('keeps unknown fields at every level', () => {
    const result = validateInboundEvent({ ...opened, extra: 1, data: { ...opened.data, crmId: 'x' } });
    expect(result.ok && result.value).toMatchObject({ extra: 1, data: { crmId: 'x' } });
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
