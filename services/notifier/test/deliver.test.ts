import { type ConfigSource, type SendAttempts, systemClock } from '@heed/aws';
import type { DomainEvent, TenantConfig } from '@heed/contracts';
import { DEFAULT_TENANT_CONFIG, type DeliveryRecord, ManualClock } from '@heed/core';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { DeliveryFailedError, deliver } from '../src/deliver';

const hook = (id: string, url: string, extra: Record<string, unknown> = {}) => ({
  id,
  format: 'heed' as const,
  url,
  secret: `secret-of-${id}-0123456789`,
  audiences: ['customer', 'internal'] as ('customer' | 'internal')[],
  ...extra,
});

/** In-memory delivery store with the same settle/attempt rules as the DynamoDB one. */
const memoryStore = (record: DeliveryRecord) => {
  let d: DeliveryRecord = record;
  return {
    current: () => d,
    store: {
      get: async () => d,
      recordAttempts: async (_: DeliveryRecord, sent: SendAttempts) => {
        if (d.status !== 'pending' && d.status !== 'failed') return;
        d = {
          ...d,
          attempts: [...d.attempts, ...sent.attempts],
          succeeded: [...d.succeeded, ...sent.succeeded],
        };
      },
      settle: async (
        _: DeliveryRecord,
        status: DeliveryRecord['status'],
        _now: Date,
        _e: unknown,
        reason?: string,
        sent?: SendAttempts,
      ) => {
        if (d.status !== 'pending' && !(d.status === 'failed' && status !== 'failed')) return false;
        d = {
          ...d,
          status,
          ...(reason && { reason }),
          attempts: [...d.attempts, ...(sent?.attempts ?? [])],
          succeeded: [...d.succeeded, ...(sent?.succeeded ?? [])],
        };
        return true;
      },
      markFailed: async () => undefined,
    },
  };
};

const record = (overrides: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  tenantId: 'acme',
  ticketId: 'T-1',
  reference: 'HD-1',
  deliveryId: 'd-20261123T090000-abc',
  purpose: 'escalation',
  audience: 'internal',
  roles: ['group-lead'],
  template: 'escalation',
  channel: 'email',
  status: 'pending',
  createdAt: '2026-11-23T09:00:00.000Z',
  receivedAt: '2026-11-23T09:00:00.000Z',
  recipient: {},
  message: { locale: 'en', dir: 'ltr', format: 'short', text: 'breach' },
  attempts: [],
  succeeded: [],
  ...overrides,
});

const requested = {
  detailType: 'Delivery Requested',
  detail: {
    tenantId: 'acme',
    ticketId: 'T-1',
    data: {
      deliveryId: 'd-20261123T090000-abc',
      purpose: 'escalation',
      audience: 'internal',
      channel: 'email',
      roles: [],
    },
  },
} as unknown as DomainEvent;

const setup = (
  webhooks: ReturnType<typeof hook>[],
  answer: (url: string, nth: number) => number,
  d = record(),
) => {
  let config: TenantConfig = {
    ...DEFAULT_TENANT_CONFIG,
    delivery: { ...DEFAULT_TENANT_CONFIG.delivery, webhooks },
  };
  const calls: string[] = [];
  const memory = memoryStore(d);
  const configs: ConfigSource = { configOf: async () => config };
  return {
    calls,
    memory,
    setWebhooks: (w: ReturnType<typeof hook>[]) => {
      config = { ...config, delivery: { ...config.delivery, webhooks: w } };
    },
    deps: {
      deliveries: memory.store,
      tickets: { get: async () => null },
      configs,
      secrets: { open: async (s: string) => s },
      poster: {
        async post(url: string, headers: Record<string, string>) {
          calls.push(url);
          expect(headers['heed-delivery-id']).toBe('d-20261123T090000-abc');
          return { status: answer(url, calls.filter((c) => c === url).length) };
        },
      },
      clock: new ManualClock('2026-11-23T09:00:00Z'),
      wallClock: new ManualClock('2026-11-23T09:00:00Z'),
    },
  };
};

describe('deliver', () => {
  it('never sends again to an endpoint that accepted, even when endpoints are reordered or removed between retries', async () => {
    const a = hook('crm', 'https://crm.example.com/h');
    const b = hook('pager', 'https://pager.example.com/h');
    const c = hook('chat', 'https://chat.example.com/h');
    // pager fails twice; everyone else accepts at once.
    const { deps, calls, memory, setWebhooks } = setup([a, b, c], (url, nth) =>
      url.includes('pager') && nth <= 2 ? 503 : 200,
    );
    await expect(deliver(requested, 1, deps)).rejects.toThrow(DeliveryFailedError);
    setWebhooks([b, c, a]); // reordered: progress is per endpoint id, not per position
    await expect(deliver(requested, 2, deps)).rejects.toThrow(DeliveryFailedError);
    setWebhooks([c, b]); // crm removed
    expect(await deliver(requested, 3, deps)).toEqual({ outcome: 'delivered', attempts: 5 });
    expect(calls.filter((u) => u.includes('crm'))).toHaveLength(1);
    expect(calls.filter((u) => u.includes('chat'))).toHaveLength(1);
    expect(calls.filter((u) => u.includes('pager'))).toHaveLength(3);
    expect([...memory.current().succeeded].sort()).toEqual(['webhook:chat', 'webhook:crm', 'webhook:pager']);
  });

  it('sends an internal message only to endpoints for its audience whose role filter matches', async () => {
    const { deps, calls } = setup(
      [
        hook('leads', 'https://leads.example.com/h', { roles: ['group-lead'] }),
        hook('managers', 'https://managers.example.com/h', { roles: ['manager'] }),
        hook('all', 'https://all.example.com/h'),
        hook('customers', 'https://customers.example.com/h', { audiences: ['customer'] }),
      ],
      () => 200,
    );
    expect((await deliver(requested, 1, deps)).outcome).toBe('delivered');
    expect(calls.sort()).toEqual(['https://all.example.com/h', 'https://leads.example.com/h']);
  });

  it('sends a failed delivery again when its message is redriven, and a settled one never', async () => {
    const failed = setup([hook('crm', 'https://crm.example.com/h')], () => 200, record({ status: 'failed' }));
    expect((await deliver(requested, 1, failed.deps)).outcome).toBe('delivered');
    const done = setup(
      [hook('crm', 'https://crm.example.com/h')],
      () => 200,
      record({ status: 'delivered' }),
    );
    expect(await deliver(requested, 1, done.deps)).toEqual({ outcome: 'duplicate' });
    expect(done.calls).toEqual([]);
  });

  it('signs with both secrets during a rotation, as Standard Webhooks and Stripe verify them, and with the new one after', async () => {
    const previous = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const current = 'whsec_plJ3nmyCDGBKInavdOK15jsl0JxxQvbMNNaPsAHnzA0=';
    const headers: Record<string, string>[] = [];
    // Receivers check the timestamp against their clock: Heed signs with the wall clock.
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const { deps } = setup(
      [
        hook('crm', 'https://crm.example.com/h', {
          secret: current,
          previousSecret: { secret: previous, until },
        }),
      ],
      () => 200,
    );
    const bodies: string[] = [];
    const signing = {
      ...deps,
      wallClock: systemClock,
      poster: {
        async post(_url: string, h: Record<string, string>, body: string) {
          headers.push(h);
          bodies.push(body);
          return { status: 200 };
        },
      },
    };
    expect((await deliver(requested, 1, signing)).outcome).toBe('delivered');
    const [h] = headers;
    const body = bodies[0] ?? '';
    expect(h?.['webhook-id']).toBe('d-20261123T090000-abc');
    expect(h?.['webhook-signature']?.split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) {
      // The receiver's own libraries, as they verify: each secret alone accepts the message.
      const verified = new Webhook(secret).verify(body, {
        'webhook-id': h?.['webhook-id'] ?? '',
        'webhook-timestamp': h?.['webhook-timestamp'] ?? '',
        'webhook-signature': h?.['webhook-signature'] ?? '',
      });
      expect(verified).toMatchObject({ id: 'd-20261123T090000-abc' });
      const signature = new Stripe('sk_test_unused').webhooks.signature;
      if (!signature) throw new Error("stripe's signature helper is missing");
      expect(signature.verifyHeader(body, h?.['heed-signature'] ?? '', secret)).toBe(true);
    }
    expect(() =>
      new Webhook('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=').verify(body, {
        'webhook-id': h?.['webhook-id'] ?? '',
        'webhook-timestamp': h?.['webhook-timestamp'] ?? '',
        'webhook-signature': h?.['webhook-signature'] ?? '',
      }),
    ).toThrow();
    // Past `until`: the old secret no longer signs.
    const after = setup(
      [
        hook('crm', 'https://crm.example.com/h', {
          secret: current,
          previousSecret: { secret: previous, until: '2026-11-24T00:00:00Z' },
        }),
      ],
      () => 200,
    );
    const later: Record<string, string>[] = [];
    await deliver(requested, 1, {
      ...after.deps,
      wallClock: new ManualClock(new Date(Date.parse(until) + 1000)),
      poster: {
        async post(_u: string, h2: Record<string, string>) {
          later.push(h2);
          return { status: 200 };
        },
      },
    });
    expect(later[0]?.['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(later[0]?.['heed-signature']?.match(/v1=/g)).toHaveLength(1);
  });
});
