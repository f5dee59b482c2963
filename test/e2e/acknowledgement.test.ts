import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { TenantConfigInput } from '@heed/contracts';
import { isOpen, validateTenantConfig } from '@heed/core';
import { verify } from '@heed/notifier';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEnvelope } from '../../packages/local/src/local-bus';
import { startReceiver } from '../support/receiver';
import { apiClient, eventually, opened, startTestRuntime, type TestRuntime } from '../support/runtime';

const SECRET = 'test-webhook-secret-0123456789';
const tokyoDay: [string, string][] = [
  ['09:00', '12:00'],
  ['13:00', '18:00'],
];
const config: TenantConfigInput = {
  defaultLocale: 'en',
  defaultTimeZone: 'Asia/Tokyo',
  calendars: {
    default: {
      timeZone: 'Asia/Tokyo',
      hours: { mon: tokyoDay, tue: tokyoDay, wed: tokyoDay, thu: tokyoDay, fri: tokyoDay },
    },
  },
  sla: {
    rules: [
      {
        name: 'urgent',
        match: { priority: ['urgent'] },
        hours: 'calendar',
        targets: { firstResponse: 60, nextResponse: 60, resolution: 480 },
      },
      { name: 'standard', targets: { firstResponse: 240, nextResponse: 120, resolution: 2400 } },
    ],
  },
};

// Tickets named fail3-* fail three times then succeed; always-* never succeed.
const receiver = await startReceiver((ticketId, nth) => {
  if (ticketId.startsWith('always-')) return 503;
  if (ticketId.startsWith('fail3-')) return nth <= 3 ? 500 : 204;
  return 200;
});

let rt: TestRuntime;
let api: ReturnType<typeof apiClient>;
const bus: BusEnvelope[] = [];

beforeAll(async () => {
  rt = await startTestRuntime({ retryBaseSeconds: 0 });
  const checked = validateTenantConfig({
    ...config,
    delivery: { webhooks: [{ url: receiver.url, secret: SECRET }] },
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  await rt.tenants.putConfig('acme', checked.value, rt.clock.now());
  api = apiClient(rt, rt.apiKey);
  rt.bus.onEvent((e) => bus.push(e));
  rt.clock.set('2026-11-23T00:30:00Z'); // Monday 09:30 in Tokyo
});
afterAll(async () => {
  await rt?.stop();
  await receiver.close();
});

type TicketBody = {
  timeline: { source: string; type: string; at: string }[];
  acknowledgements: {
    opening: string;
    status: string;
    reason?: string;
    promisedBy?: string;
    locale?: string;
  }[];
  deliveries: { status: string; attempts: { ok: boolean; status?: number }[] }[];
};
const ticketWhen = async (ticketId: string, done: (t: TicketBody) => boolean): Promise<TicketBody> =>
  eventually(async () => {
    const t = (await api.ticket<TicketBody>(ticketId)).body;
    return t.acknowledgements?.length && done(t) ? t : undefined;
  }, 30_000);

/** The receiver's verifier exactly as docs/contract.md prints it. */
const docsVerifier = (): ((body: string, header: string, secret: string) => boolean) => {
  const page = readFileSync(new URL('../../docs/contract.md', import.meta.url), 'utf8');
  const code = /```js\n([\s\S]*?function verifyHeed[\s\S]*?)```/.exec(page)?.[1] ?? '';
  const body = code.replace(/^import .*$/m, '');
  return new Function('createHmac', 'timingSafeEqual', `${body}\nreturn verifyHeed;`)(
    createHmac,
    timingSafeEqual,
  );
};

describe('acknowledgements', () => {
  it('sends a signed webhook in Japanese promising a Monday time in business hours (opened Friday 18:30 Tokyo)', async () => {
    const event = opened({
      occurredAt: '2026-11-20T18:30:00+09:00',
      data: { ...opened().data, priority: 'normal' },
    });
    await api.post(event);
    const [hook] = await eventually(() =>
      receiver.forTicket(event.ticketId).length ? receiver.forTicket(event.ticketId) : undefined,
    );
    // Signed with real time (what a receiver's clock says), though Heed's clock is steered to
    // 2026-11-23; Heed's instant is in the body.
    const nowSeconds = Math.floor(Date.now() / 1000);
    expect(JSON.parse(hook?.body ?? '{}').sentAt).toBe(rt.clock.now().toISOString());
    expect(verify(hook?.headers['heed-signature'] as string, hook?.body ?? '', SECRET, nowSeconds)).toEqual({
      ok: true,
    });
    // Standard Webhooks' and Stripe's own code accept it (a plain secret is a raw key there).
    const headers = hook?.headers as Record<string, string>;
    expect(
      new Webhook(Buffer.from(SECRET, 'utf8'), { format: 'raw' }).verify(hook?.body ?? '', {
        'webhook-id': headers['webhook-id'] ?? '',
        'webhook-timestamp': headers['webhook-timestamp'] ?? '',
        'webhook-signature': headers['webhook-signature'] ?? '',
      }),
    ).toMatchObject({ purpose: 'acknowledgement' });
    const stripeSignature = new Stripe('sk_test_unused').webhooks.signature;
    if (!stripeSignature) throw new Error("stripe's signature helper is missing");
    expect(stripeSignature.verifyHeader(hook?.body ?? '', headers['heed-signature'] ?? '', SECRET)).toBe(
      true,
    );
    // The verifier the docs give receivers accepts it too, on a clock steered two weeks back.
    expect(docsVerifier()(hook?.body ?? '', hook?.headers['heed-signature'] as string, SECRET)).toBe(true);
    expect(verify(hook?.headers['heed-signature'] as string, `${hook?.body} `, SECRET, nowSeconds).ok).toBe(
      false,
    );
    expect(
      verify(hook?.headers['heed-signature'] as string, hook?.body ?? '', 'another-secret-123456', nowSeconds)
        .ok,
    ).toBe(false);

    const payload = hook?.json as unknown as {
      purpose: string;
      reference: string;
      recipient: { email: string };
      message: { locale: string; subject: string; text: string; html: string };
      promise: { dueAt: string; text: string; timeZone: string; rule: string };
    };
    expect(payload.purpose).toBe('acknowledgement');
    expect(payload.recipient.email).toBe('aiko@example.com');
    expect(payload.message.locale).toBe('ja');
    expect(payload.message.subject).toBe(`お問い合わせを受け付けました [${payload.reference}]`);
    expect(payload.promise.dueAt).toBe(new Date('2026-11-23T14:00:00+09:00').toISOString());
    const tokyo = validateTenantConfig(config);
    expect(
      tokyo.ok &&
        isOpen(tokyo.value.calendars.default as never, new Date(Date.parse(payload.promise.dueAt) - 1)),
    ).toBe(true);
    expect(payload.message.text).toContain(payload.promise.text);
    expect(payload.promise.text).toContain('2026年11月23日月曜日');

    const ticket = await ticketWhen(
      event.ticketId,
      (t) => t.acknowledgements[0]?.status === 'sent' && t.deliveries[0]?.status === 'delivered',
    );
    expect(ticket.acknowledgements[0]).toMatchObject({
      opening: 'open',
      status: 'sent',
      promisedBy: payload.promise.dueAt,
      locale: 'ja',
    });
    expect(ticket.deliveries[0]).toMatchObject({
      status: 'delivered',
      attempts: [{ ok: true, status: 200 }],
    });
    await eventually(() =>
      bus.find(
        (e) =>
          e['detail-type'] === 'Acknowledgement Sent' &&
          (e.detail as { ticketId: string }).ticketId === event.ticketId,
      ),
    );
    expect(rt.metrics.some((m) => m.name === 'AcknowledgementLatency')).toBe(true);
    expect(rt.metrics.find((m) => m.name === 'AcknowledgementsSent')?.dimensions).toEqual({
      locale: 'ja',
      channel: 'email',
    });
  });

  it.each([
    ['ko-KR', 'Asia/Seoul', 'email', '문의가 접수되었습니다'],
    ['ar-SA', 'Asia/Riyadh', 'email', 'تلقّينا طلبك'],
    ['ro-RO', 'Europe/Bucharest', 'email', 'Am primit solicitarea'],
    ['es-MX', 'America/Mexico_City', 'email', 'Hemos recibido su solicitud'],
    ['fr-CA', 'America/Toronto', 'email', 'Nous avons bien reçu votre demande'],
    ['de-DE', 'Europe/Berlin', 'email', 'Wir haben Ihre Anfrage erhalten'],
    ['pt-BR', 'America/Sao_Paulo', 'chat', 'Obrigado pela sua mensagem'],
    ['zh-CN', 'Asia/Shanghai', 'sms', '感谢您的留言'],
    ['sv-SE', 'Europe/Stockholm', 'email', 'We received your request'],
  ])(
    'acknowledges a %s customer in %s on %s in their language',
    async (locale, timeZone, channel, phrase) => {
      const base = opened();
      const event = {
        ...base,
        data: { ...base.data, channel, customer: { ...base.data.customer, locale, timeZone } },
      };
      await api.post(event);
      const hook = await eventually(() => receiver.forTicket(event.ticketId)[0]);
      const { message } = hook.json as unknown as {
        message: { subject?: string; text: string; format: string; dir: string };
      };
      expect(`${message.subject ?? ''} ${message.text}`).toContain(phrase);
      expect(message.format).toBe(channel === 'email' ? 'email' : 'short');
      expect(message.dir).toBe(locale.startsWith('ar') ? 'rtl' : 'ltr');
    },
  );

  it('acknowledges once when the same queue message is delivered twice, or five times at once', async () => {
    const event = opened();
    await api.post(event);
    await eventually(() => (receiver.forTicket(event.ticketId).length ? true : undefined));
    const envelope = bus.find(
      (e) =>
        e['detail-type'] === 'Ticket Received' &&
        (e.detail as { ticketId: string }).ticketId === event.ticketId,
    );
    const send = () =>
      rt.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: rt.queues.acknowledger.url,
          MessageBody: JSON.stringify(envelope),
        }),
      );
    // A clock that moves on every reading: no two claims share an instant (and so no key),
    // only the claim's own condition can stop the duplicates.
    const frozen = rt.clock.now.bind(rt.clock);
    let tick = 0;
    rt.clock.now = () => new Date(frozen().getTime() + ++tick * 1000);
    try {
      await send();
      await rt.settle();
      await Promise.all([send(), send(), send(), send(), send()]);
      await rt.settle();
    } finally {
      rt.clock.now = frozen;
    }
    await ticketWhen(event.ticketId, (t) => t.acknowledgements[0]?.status === 'sent');
    expect(receiver.forTicket(event.ticketId)).toHaveLength(1);
    const ticket = (await api.ticket<TicketBody>(event.ticketId)).body;
    expect(ticket.acknowledgements).toHaveLength(1);
    expect(ticket.deliveries).toHaveLength(1);
  });

  it('delivers once when the receiver fails three times and then accepts', async () => {
    const event = opened({ ticketId: `fail3-${Date.now()}`, occurredAt: '2026-11-20T09:30:00Z' });
    await api.post(event);
    // The read API's parts are read side by side: wait for the whole outcome, not its first sign.
    const ticket = await ticketWhen(
      event.ticketId,
      (t) =>
        t.deliveries[0]?.status === 'delivered' &&
        t.acknowledgements[0]?.status === 'sent' &&
        t.timeline.some((e) => e.type === 'delivery.delivered'),
    );
    expect(ticket.deliveries[0]?.attempts.map((a) => a.status)).toEqual([500, 500, 500, 204]);
    expect(ticket.timeline.map((e) => e.type)).toEqual([
      'ticket.opened',
      'acknowledgement.requested',
      'delivery.attempt',
      'delivery.attempt',
      'delivery.attempt',
      'delivery.attempt',
      'delivery.delivered',
    ]);
    await rt.settle();
    expect(receiver.forTicket(event.ticketId).map((r) => r.answered)).toEqual([500, 500, 500, 204]);
  });

  it('moves a delivery that always fails to the DLQ, records the failure and counts it', async () => {
    const event = opened({ ticketId: `always-${Date.now()}` });
    await api.post(event);
    const ticket = await ticketWhen(
      event.ticketId,
      (t) => t.deliveries[0]?.status === 'failed' && t.acknowledgements[0]?.status === 'failed',
    );
    expect(ticket.deliveries[0]?.attempts).toHaveLength(5);
    expect(ticket.acknowledgements[0]?.status).toBe('failed');
    const dead = await eventually(async () => {
      const { ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
      const out = await rt.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: rt.queues.notifier.dlqUrl, WaitTimeSeconds: 1 }),
      );
      return out.Messages?.find((m) => m.Body?.includes(event.ticketId));
    });
    expect(dead.Body).toContain('Delivery Requested');
    const failures = rt.metrics.filter((m) => m.name === 'DeliveryFailures');
    expect(failures.reduce((n, m) => n + m.value, 0)).toBeGreaterThanOrEqual(5);
  });

  it('ends a delivery whose message is dead-lettered for any other reason failed on the ticket, with the reason', async () => {
    const event = opened();
    await api.post(event);
    await ticketWhen(event.ticketId, (t) => t.acknowledgements[0]?.status === 'sent');
    // A request for a delivery that was never written (a bug, a lost item): it can never succeed.
    const envelope = bus.find(
      (e) =>
        e['detail-type'] === 'Delivery Requested' &&
        (e.detail as { ticketId: string }).ticketId === event.ticketId,
    );
    const detail = envelope?.detail as { data: Record<string, unknown> };
    await rt.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: rt.queues.notifier.url,
        MessageBody: JSON.stringify({
          ...envelope,
          detail: {
            ...detail,
            eventId: 'delivery-requested:ghost',
            data: { ...detail.data, deliveryId: 'd-ghost' },
          },
        }),
      }),
    );
    const ticket = await ticketWhen(event.ticketId, (t) =>
      t.deliveries.some(
        (d) => (d as { deliveryId?: string }).deliveryId === 'd-ghost' && d.status === 'failed',
      ),
    );
    const ghost = ticket.deliveries.find((d) => (d as { deliveryId?: string }).deliveryId === 'd-ghost') as {
      reason?: string;
    };
    expect(ghost.reason).toMatch(/^gave up after every retry: DeliveryNotFoundError/);
    expect(ticket.timeline.some((e) => e.type === 'delivery.failed')).toBe(true);
  });

  it('stores webhook secrets sealed: the tenants table never holds them in clear, yet signatures verify', async () => {
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const items = await rt.clients.documents.send(
      new QueryCommand({
        TableName: rt.tables.tenants,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'acme' },
      }),
    );
    const stored = JSON.stringify(items.Items);
    expect(stored).toContain('sealed:local:');
    expect(stored).not.toContain(SECRET);
  });

  it('reopens on the customer\'s reply after "solved" and re-acknowledges in their language, once per endpoint of two', async () => {
    // A second endpoint that refuses each ticket's first two attempts: the first endpoint must
    // still receive every message exactly once.
    const flaky = await startReceiver((_t, nth) => (nth % 3 === 0 ? 200 : 503));
    try {
      const issued = await rt.tenants.create('twoends', 'Two endpoints', rt.clock.now());
      const checked = validateTenantConfig({
        ...config,
        delivery: {
          webhooks: [
            { id: 'steady', url: receiver.url, secret: SECRET },
            { id: 'flaky', url: flaky.url, secret: SECRET },
          ],
        },
      });
      if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
      await rt.tenants.putConfig('twoends', checked.value, rt.clock.now());
      const two = apiClient(rt, issued.apiKey);
      const base = opened();
      const event = {
        ...base,
        data: {
          ...base.data,
          customer: { ...base.data.customer, locale: 'es-MX', timeZone: 'America/Mexico_City' },
        },
      };
      const at = (m: number) => new Date(rt.clock.now().getTime() - 60 * 60_000 + m * 60_000).toISOString();
      type Ticket = TicketBody & { status: string; reopenCount: number };
      const read = async () => (await two.ticket<Ticket>(event.ticketId)).body;
      await two.post({ ...event, occurredAt: at(0) });
      // The acknowledgement goes out (to both endpoints) before anyone answers.
      await eventually(async () =>
        (await read()).deliveries?.[0]?.status === 'delivered' ? true : undefined,
      );
      await two.post({
        id: `${event.id}-a`,
        type: 'agent.replied',
        ticketId: event.ticketId,
        occurredAt: at(5),
        data: { agentId: 'a1' },
      });
      await two.post({
        id: `${event.id}-s`,
        type: 'ticket.status_changed',
        ticketId: event.ticketId,
        occurredAt: at(10),
        data: { status: 'solved' },
      });
      // The mail gateway can only say "the customer wrote": that reopens the solved ticket.
      await two.post({
        id: `${event.id}-c`,
        type: 'customer.replied',
        ticketId: event.ticketId,
        occurredAt: at(20),
      });
      const ticket = await eventually(async () => {
        const t = await read();
        return t.deliveries?.length === 2 && t.deliveries.every((d) => d.status === 'delivered')
          ? t
          : undefined;
      });
      expect(ticket).toMatchObject({ status: 'open', reopenCount: 1 });
      expect(ticket.acknowledgements.map((a) => a.opening).sort()).toEqual(['open', `reopen:${event.id}-c`]);
      const steady = receiver.forTicket(event.ticketId);
      expect(
        steady.map((r) => (r.json as unknown as { message: { subject: string } }).message.subject),
      ).toEqual([
        expect.stringMatching(/^Hemos recibido su solicitud/),
        expect.stringMatching(/^Hemos reabierto su solicitud/),
      ]);
      expect(flaky.forTicket(event.ticketId).map((r) => r.answered)).toEqual([503, 503, 200, 503, 503, 200]);
      // Each message kept its own delivery id across retries and endpoints; two messages, two ids.
      const ids = [...steady, ...flaky.forTicket(event.ticketId)].map((r) => r.headers['heed-delivery-id']);
      expect(new Set(ids).size).toBe(2);
    } finally {
      await flaky.close();
    }
  });

  it('sends none for an agent-created ticket', async () => {
    const base = opened();
    const event = { ...base, data: { ...base.data, createdBy: 'agent' } };
    await api.post(event);
    const ticket = await ticketWhen(event.ticketId, (t) => t.acknowledgements[0]?.status === 'skipped');
    expect(ticket.acknowledgements[0]?.reason).toBe('the ticket was created by an agent');
    await rt.settle();
    expect(receiver.forTicket(event.ticketId)).toEqual([]);
  });

  it('sends none when an agent replied before the acknowledgement', async () => {
    const event = opened({ occurredAt: '2026-11-20T09:00:00Z' });
    await api.post({
      id: `${event.id}-r`,
      type: 'agent.replied',
      ticketId: event.ticketId,
      occurredAt: '2026-11-20T09:01:00Z',
      data: { agentId: 'a1' },
    });
    await api.post(event);
    const ticket = await ticketWhen(event.ticketId, (t) => t.acknowledgements[0]?.status === 'skipped');
    expect(ticket.acknowledgements[0]?.reason).toBe('an agent replied before the acknowledgement');
    await rt.settle();
    expect(receiver.forTicket(event.ticketId)).toEqual([]);
  });

  it('acknowledges a reopen once more, with the reopen wording and a next-response promise', async () => {
    const base = opened();
    const event = { ...base, data: { ...base.data, customer: { ...base.data.customer, locale: 'en-GB' } } };
    await api.post(event);
    await ticketWhen(event.ticketId, (t) => t.acknowledgements[0]?.status === 'sent');
    const at = (m: number) => new Date(Date.parse('2026-11-23T01:00:00Z') + m * 60_000).toISOString();
    rt.clock.set(at(21));
    await api.post({
      id: `${event.id}-a`,
      type: 'agent.replied',
      ticketId: event.ticketId,
      occurredAt: at(0),
      data: { agentId: 'a1' },
    });
    await api.post({
      id: `${event.id}-s`,
      type: 'ticket.status_changed',
      ticketId: event.ticketId,
      occurredAt: at(10),
      data: { status: 'solved' },
    });
    await api.post({
      id: `${event.id}-o`,
      type: 'ticket.status_changed',
      ticketId: event.ticketId,
      occurredAt: at(20),
      data: { status: 'open' },
    });
    const ticket = await ticketWhen(
      event.ticketId,
      (t) => t.acknowledgements.find((a) => a.opening === `reopen:${event.id}-o`)?.status === 'sent',
    );
    const hooks = receiver.forTicket(event.ticketId);
    expect(hooks).toHaveLength(2);
    const reopen = hooks[1]?.json as unknown as { message: { subject: string }; promise: { dueAt: string } };
    expect(reopen.message.subject).toMatch(/is open again$/);
    // Reopened Monday 10:20 Tokyo; next response within 120 business minutes.
    expect(reopen.promise.dueAt).toBe(new Date('2026-11-23T13:20:00+09:00').toISOString());
    expect(ticket.acknowledgements.map((a) => a.opening).sort()).toEqual(['open', `reopen:${event.id}-o`]);
  });
});
