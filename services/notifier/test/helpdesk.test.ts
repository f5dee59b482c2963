import type { DeliveryRecord } from '@heed/core';
import { describe, expect, it } from 'vitest';
import { formatTakes, helpdeskCall, helpdeskTicketOf } from '../src/formats';

const record = (overrides: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  tenantId: 'acme',
  ticketId: 'fd-42',
  reference: 'HD-1',
  deliveryId: 'd-1',
  purpose: 'acknowledgement',
  audience: 'customer',
  roles: [],
  template: 'acknowledgement',
  channel: 'email',
  status: 'pending',
  createdAt: '2026-11-23T09:00:00.000Z',
  receivedAt: '2026-11-23T09:00:00.000Z',
  recipient: {},
  message: { locale: 'en', dir: 'ltr', format: 'email', text: 'Thanks <Ana> & co.\nWe answer by 11:00.' },
  attempts: [],
  succeeded: [],
  ...overrides,
});

describe('helpdesk write-back', () => {
  it("knows a helpdesk's tickets by the names the connectors and recipes give them, and takes only those", () => {
    expect(helpdeskTicketOf('zendesk', 'zd-5158')).toBe('5158');
    expect(helpdeskTicketOf('freshdesk', 'fd-42')).toBe('42');
    for (const other of ['fd-42', 'zd-', 'zd-12a', 'x-zd-1', 'cw-10', 'zd-1/../2'])
      expect(helpdeskTicketOf('zendesk', other), other).toBeNull();
    expect(formatTakes('zendesk', record({ ticketId: 'zd-1' }))).toBe(true);
    expect(formatTakes('zendesk', record())).toBe(false);
    expect(formatTakes('freshdesk', record({ purpose: 'escalation-resolved', audience: 'internal' }))).toBe(
      false,
    );
    expect(() => helpdeskCall({ format: 'zendesk', url: 'https://a.zendesk.com' }, 't', record())).toThrow(
      RangeError,
    );
  });

  it('escapes the text for Freshdesk (HTML) and marks every write as Heed’s', () => {
    const note = helpdeskCall({ format: 'freshdesk', url: 'https://acme.freshdesk.com/' }, 'key', record());
    expect(note.url).toBe('https://acme.freshdesk.com/api/v2/tickets/42/notes');
    expect(note.body).toEqual({
      body: 'Thanks &lt;Ana&gt; &amp; co.<br>We answer by 11:00.<br><br>heed-delivery:d-1',
      private: true,
    });
    const zendesk = helpdeskCall(
      { format: 'zendesk', url: 'https://acme.zendesk.com', apiUser: 'bot@acme.example', reply: 'public' },
      'tok',
      record({ ticketId: 'zd-7' }),
    );
    expect(zendesk).toMatchObject({
      method: 'PUT',
      url: 'https://acme.zendesk.com/api/v2/tickets/7.json',
      body: {
        ticket: {
          comment: { public: true, body: 'Thanks <Ana> & co.\nWe answer by 11:00.\n\nheed-delivery:d-1' },
        },
      },
    });
  });
});
