import type { ConfigSource } from '@heed/aws';
import { type DomainEvent, SCHEMA_VERSION, type TenantConfig, validateInboundEvent } from '@heed/contracts';
import {
  type AckRecord,
  applyEvent,
  DEFAULT_TENANT_CONFIG,
  type DeliveryRecord,
  emptyTicket,
  ManualClock,
  type TicketState,
} from '@heed/core';
import { describe, expect, it } from 'vitest';
import { acknowledge, TicketNotReadyError } from '../src/acknowledge';

/** In-memory stand-ins for the ports: the service logic is tested without DynamoDB. */
const setup = (
  ticket: TicketState | null,
  config: TenantConfig = DEFAULT_TENANT_CONFIG,
  now = '2026-11-23T10:00:00Z',
) => {
  const claims: { ack: AckRecord; delivery?: Partial<DeliveryRecord>; emits: readonly DomainEvent[] }[] = [];
  const claimed = new Set<string>();
  const configs: ConfigSource = { configOf: async () => config };
  return {
    claims,
    deps: {
      tickets: { get: async () => ticket },
      configs,
      deliveries: {
        claim: async (args: {
          ack: AckRecord;
          delivery?: Partial<DeliveryRecord>;
          emits: readonly DomainEvent[];
        }) => {
          if (claimed.has(args.ack.openingKey)) return false;
          claimed.add(args.ack.openingKey);
          claims.push(args);
          return true;
        },
      },
      clock: new ManualClock(now),
    },
  };
};

const openedTicket = (
  data: Record<string, unknown> = {},
  occurredAt = '2026-11-23T09:00:00Z',
): TicketState => {
  const result = validateInboundEvent(
    {
      id: 'e1',
      type: 'ticket.opened',
      ticketId: 'T-1',
      occurredAt,
      data: {
        channel: 'email',
        customer: { id: 'c1', name: 'Ana', locale: 'ro-RO', timeZone: 'Europe/Bucharest' },
        ...data,
      },
    },
    { now: NOW },
  );
  if (!result.ok) throw new Error('bad fixture');
  return applyEvent(emptyTicket('acme', 'T-1', 'HD-TEST'), result.value);
};

const NOW = new Date('2027-01-01T00:00:00Z');
const then = (
  ticket: TicketState,
  id: string,
  type: string,
  occurredAt: string,
  data: Record<string, unknown> = {},
) => {
  const result = validateInboundEvent({ id, type, ticketId: 'T-1', occurredAt, data }, { now: NOW });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return applyEvent(ticket, result.value);
};

const reopened = (causationId: string, occurredAt: string): DomainEvent => ({
  detailType: 'Ticket Reopened',
  detail: {
    ...received().detail,
    eventId: `ticket-reopened:${causationId}`,
    causationId,
    occurredAt,
    data: { reopenCount: 1, reason: 'customer_replied' },
  },
});

const received = (occurredAt = '2026-11-23T09:00:00Z'): DomainEvent => ({
  detailType: 'Ticket Received',
  detail: {
    schemaVersion: SCHEMA_VERSION,
    eventId: 'ticket-received:e1',
    tenantId: 'acme',
    ticketId: 'T-1',
    reference: 'HD-TEST',
    occurredAt,
    emittedAt: '2026-11-23T09:00:01.000Z',
    causationId: 'e1',
    actor: 'producer',
    late: false,
    data: { channel: 'email', priority: 'normal', createdBy: 'customer' },
  },
});

describe('acknowledge', () => {
  it('requests one delivery with the promise from the SLA rule and the message in the customer language', async () => {
    const { deps, claims } = setup(openedTicket());
    const first = await acknowledge(received(), deps);
    expect(first).toEqual({ outcome: 'requested', deliveryId: expect.stringMatching(/^d-20261123T100000-/) });
    expect(await acknowledge(received(), deps)).toEqual({ outcome: 'duplicate' });
    expect(claims).toHaveLength(1);
    const [claim] = claims;
    // Default policy: standard rule, 480 business minutes, weekdays 09:00-17:00 UTC, from Monday 09:00.
    expect(claim?.ack).toMatchObject({
      status: 'requested',
      rule: 'standard',
      targetMinutes: 480,
      promisedBy: '2026-11-23T17:00:00.000Z',
      locale: 'ro',
    });
    expect(claim?.delivery?.message?.subject).toBe('Am primit solicitarea dumneavoastră [HD-TEST]');
    expect(claim?.delivery?.receivedAt).toBe('2026-11-23T09:00:01.000Z');
    expect(claim?.emits.map((e) => e.detailType)).toEqual(['Delivery Requested']);
    expect(JSON.stringify(claim?.emits)).not.toContain('Ana'); // the bus carries ids, not PII
  });

  it('never promises a time already past: a late ticket is promised from now', async () => {
    const { deps, claims } = setup(
      openedTicket({ priority: 'urgent' }, '2026-11-20T09:00:00Z'),
      DEFAULT_TENANT_CONFIG,
      '2026-11-23T10:00:00Z',
    );
    await acknowledge(received('2026-11-20T09:00:00Z'), deps);
    expect(claims[0]?.ack.promisedBy).toBe('2026-11-23T11:00:00.000Z'); // urgent: 60 calendar minutes from now
  });

  it('skips, with the reason, when acknowledgements are disabled', async () => {
    const config = { ...DEFAULT_TENANT_CONFIG, acknowledgement: { enabled: false, templates: {} } };
    const { deps, claims } = setup(openedTicket(), config);
    expect(await acknowledge(received(), deps)).toEqual({
      outcome: 'skipped',
      reason: 'acknowledgements are disabled for this tenant',
    });
    expect(claims[0]?.delivery).toBeUndefined();
  });

  it('gives every message its own delivery id, across tickets and tenants', async () => {
    const ids = new Set<string>();
    for (const [tenantId, ticketId] of [
      ['acme', 'T-1'],
      ['acme', 'T-2'],
      ['globex', 'T-1'],
    ]) {
      const { deps, claims } = setup({
        ...openedTicket(),
        tenantId: tenantId as string,
        ticketId: ticketId as string,
      });
      const event = { ...received(), detail: { ...received().detail, tenantId, ticketId } } as DomainEvent;
      await acknowledge(event, deps);
      ids.add(claims[0]?.delivery?.deliveryId ?? '');
    }
    expect(ids.size).toBe(3);
  });

  it('acknowledges a reopen by the event that caused it, with a next-response promise, only while it is current', async () => {
    let ticket = then(openedTicket(), 'a1', 'agent.replied', '2026-11-23T09:10:00Z', { agentId: 'a' });
    ticket = then(ticket, 's1', 'ticket.status_changed', '2026-11-23T09:20:00Z', { status: 'solved' });
    ticket = then(ticket, 'c1', 'customer.replied', '2026-11-23T09:30:00Z');
    const { deps, claims } = setup(ticket);
    expect((await acknowledge(reopened('c1', '2026-11-23T09:30:00Z'), deps)).outcome).toBe('requested');
    expect(claims[0]?.ack).toMatchObject({ openingKey: 'reopen:c1', promisedBy: '2026-11-24T09:30:00.000Z' });
    expect(claims[0]?.delivery?.obsoleteIf).toEqual({
      publicReplySince: '2026-11-23T09:30:00.000Z',
      statusNotIn: ['open', 'pending', 'on_hold'],
      openingNot: 'reopen:c1',
    });
    // The same reopen delivered again: nothing more.
    expect(await acknowledge(reopened('c1', '2026-11-23T09:30:00Z'), deps)).toEqual({ outcome: 'duplicate' });
    // A later reopen took over: an older one arriving late is skipped, not acknowledged.
    let twice = then(ticket, 's2', 'ticket.status_changed', '2026-11-23T09:40:00Z', { status: 'solved' });
    twice = then(twice, 'c2', 'customer.replied', '2026-11-23T09:50:00Z');
    const late = setup(twice);
    expect(await acknowledge(reopened('c1', '2026-11-23T09:30:00Z'), late.deps)).toEqual({
      outcome: 'skipped',
      reason: 'a later opening superseded this one',
    });
    // …and a reopen whose ticket was solved again meanwhile is not acknowledged either.
    const solvedAgain = setup(
      then(ticket, 's3', 'ticket.status_changed', '2026-11-23T09:35:00Z', { status: 'solved' }),
    );
    expect(await acknowledge(reopened('c1', '2026-11-23T09:30:00Z'), solvedAgain.deps)).toEqual({
      outcome: 'skipped',
      reason: 'the ticket is solved again',
    });
  });

  it('retries later when the ticket is not recorded yet, and ignores other events', async () => {
    await expect(acknowledge(received(), setup(null).deps)).rejects.toThrow(TicketNotReadyError);
    const other = {
      ...received(),
      detailType: 'Customer Replied',
      detail: { ...received().detail, data: {} },
    } as DomainEvent;
    expect(await acknowledge(other, setup(openedTicket()).deps)).toEqual({ outcome: 'ignored' });
  });
});
