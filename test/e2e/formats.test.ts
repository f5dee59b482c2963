import { createServer, type Server } from 'node:http';
import { DEFAULT_TENANT_CONFIG, validateTenantConfig } from '@heed/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, opened, startTestRuntime, type TestRuntime } from '../support/runtime';

type Body = Record<string, unknown>;
/** Slack, Teams and PagerDuty stand-ins: each records what it was sent, by path. */
interface Received {
  readonly method: string;
  readonly path: string;
  readonly authorization: string;
  readonly body: Body;
}
const startTools = async () => {
  const received: Received[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization ?? '',
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body,
    });
    // PagerDuty answers 202; Freshdesk 201 (created); Slack, Teams and Zendesk 200.
    res.writeHead(req.url === '/pagerduty' ? 202 : req.url?.startsWith('/fd/') ? 201 : 200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    at: (path: string) => received.filter((r) => r.path === path).map((r) => r.body),
    under: (prefix: string) => received.filter((r) => r.path.startsWith(prefix)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** The documented shapes each tool accepts (what its API would refuse otherwise). */
const expectSlack = (m: Body) => {
  expect(typeof m.text).toBe('string');
  const blocks = m.blocks as {
    type: string;
    text?: { type: string };
    fields?: { type: string; text: string }[];
  }[];
  expect(blocks.map((b) => b.type)).toEqual(expect.arrayContaining(['header', 'section']));
  for (const b of blocks) expect(['header', 'section', 'actions', 'context', 'divider']).toContain(b.type);
  expect(blocks[0]?.text?.type).toBe('plain_text');
  for (const f of blocks[1]?.fields ?? []) expect(f.type).toBe('mrkdwn');
  expect((blocks[1]?.fields ?? []).length).toBeLessThanOrEqual(10);
};
const expectPagerDuty = (e: Body) => {
  expect(e.routing_key).toBe('R0UT1NGKEY0123456789abcdefabcdef');
  expect(['trigger', 'acknowledge', 'resolve']).toContain(e.event_action);
  expect(typeof e.dedup_key).toBe('string');
  expect(String(e.dedup_key).length).toBeLessThanOrEqual(255);
  if (e.event_action === 'trigger') {
    const p = e.payload as Body;
    expect(String(p.summary).length).toBeGreaterThan(0);
    expect(String(p.summary).length).toBeLessThanOrEqual(1024);
    expect(p.source).toBe('heed');
    expect(['critical', 'error', 'warning', 'info']).toContain(p.severity);
  }
};

let rt: TestRuntime;
let tools: Awaited<ReturnType<typeof startTools>>;
beforeAll(async () => {
  rt = await startTestRuntime();
  tools = await startTools();
  const config = validateTenantConfig({
    ...DEFAULT_TENANT_CONFIG,
    delivery: {
      ...DEFAULT_TENANT_CONFIG.delivery,
      ticketUrl: 'https://help.example.com/tickets/{ticketId}',
      webhooks: [
        { id: 'slack', format: 'slack', url: tools.url('/slack') },
        { id: 'teams', format: 'teams', url: tools.url('/teams') },
        {
          id: 'pd',
          format: 'pagerduty',
          url: tools.url('/pagerduty'),
          routingKey: 'R0UT1NGKEY0123456789abcdefabcdef',
        },
        // Helpdesks: only their own tickets (zd-…, fd-…) are written into them.
        {
          id: 'zendesk',
          format: 'zendesk',
          url: tools.url('/zd'),
          apiUser: 'heed-bot@acme.example',
          apiToken: 'zendesk-api-token-123',
        },
        {
          id: 'freshdesk',
          format: 'freshdesk',
          url: tools.url('/fd/'),
          apiToken: 'freshdesk-api-key-456',
          reply: 'public',
        },
      ],
    },
  });
  if (!config.ok) throw new Error(JSON.stringify(config.issues));
  await rt.tenants.putConfig('acme', config.value, rt.clock.now());
});
afterAll(async () => {
  await rt?.stop();
  await tools?.close();
});

describe('escalations where people are', () => {
  it('posts Block Kit to Slack, an Adaptive Card to Teams and Events API v2 to PagerDuty, which resolves itself when the clock stops', async () => {
    const api = apiClient(rt, rt.apiKey);
    const base = opened();
    const ticket = {
      ...base,
      occurredAt: '2026-11-23T09:00:00Z',
      data: { ...base.data, priority: 'urgent' },
    };
    expect((await api.post(ticket)).status).toBe(202);
    await rt.settle();
    // Urgent: first response within 60 calendar minutes; the ladder steps at -30 and 0.
    await rt.advanceClock(new Date('2026-11-23T10:05:00Z'));
    const slack = tools.at('/slack');
    const pages = tools.at('/pagerduty');
    const teams = tools.at('/teams');
    // Only internal messages: the customer's acknowledgement reached none of them.
    expect(slack).toHaveLength(2);
    expect(teams).toHaveLength(2);
    expect(pages.map((p) => p.event_action)).toEqual(['trigger', 'trigger']);
    for (const m of slack) expectSlack(m);
    for (const e of pages) expectPagerDuty(e);
    const breach = JSON.stringify(slack[1]);
    expect(breach).toContain('*Clock*\\nFirst response (cycle 1)');
    expect(breach).toContain('*How late*\\nat its target');
    expect(breach).toContain('*For*\\nassignee, group-lead');
    expect(breach).toContain(`https://help.example.com/tickets/${ticket.ticketId}`);
    const dedup = `heed:acme:${ticket.ticketId}:first_response:1`;
    expect(pages.map((p) => p.dedup_key)).toEqual([dedup, dedup]);
    expect((pages[1]?.links as { href: string }[] | undefined)?.[0]?.href).toBe(
      `https://help.example.com/tickets/${ticket.ticketId}`,
    );
    const card = (teams[0]?.attachments as { contentType: string; content: Body }[] | undefined)?.[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card?.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });

    // An agent answers: the clock stops, the page resolves (once, however often Heed looks).
    await api.post({
      id: `${ticket.id}-reply`,
      type: 'agent.replied',
      ticketId: ticket.ticketId,
      occurredAt: '2026-11-23T10:10:00Z',
      data: { agentId: 'a-1', public: true },
    });
    await rt.advanceClock(new Date('2026-11-23T12:00:00Z'));
    const after = tools.at('/pagerduty');
    expect(after.map((p) => p.event_action)).toEqual(['trigger', 'trigger', 'resolve']);
    expect(after[2]).toEqual({
      routing_key: 'R0UT1NGKEY0123456789abcdefabcdef',
      event_action: 'resolve',
      dedup_key: dedup,
    });
    // Slack and Teams are not told of the resolve.
    expect(tools.at('/slack')).toHaveLength(2);
  });

  it('refuses a configuration naming a format without what it needs', () => {
    const bad = validateTenantConfig({
      ...DEFAULT_TENANT_CONFIG,
      delivery: {
        ...DEFAULT_TENANT_CONFIG.delivery,
        ticketUrl: 'https://help.example.com/tickets',
        webhooks: [
          { format: 'pagerduty', url: 'https://events.pagerduty.com/v2/enqueue' },
          { format: 'heed', url: 'https://crm.example.com/h' },
          { format: 'slack', url: 'https://hooks.slack.com/x', routingKey: 'nope' },
        ],
      },
    });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.issues.map((i) => i.path).sort()).toEqual([
      'delivery.ticketUrl',
      'delivery.webhooks.0.routingKey',
      'delivery.webhooks.1.secret',
      'delivery.webhooks.2.routingKey',
    ]);
    const helpdesks = validateTenantConfig({
      ...DEFAULT_TENANT_CONFIG,
      delivery: {
        ...DEFAULT_TENANT_CONFIG.delivery,
        webhooks: [
          { format: 'zendesk', url: 'https://acme.zendesk.com', apiToken: 't' },
          { format: 'freshdesk', url: 'https://acme.freshdesk.com', reply: 'note' },
          { format: 'slack', url: 'https://hooks.slack.com/x', reply: 'public', apiUser: 'a@b.example' },
        ],
      },
    });
    expect(helpdesks.ok ? [] : helpdesks.issues.map((i) => i.path).sort()).toEqual([
      'delivery.webhooks.0.apiUser',
      'delivery.webhooks.1.apiToken',
      'delivery.webhooks.2.apiUser',
      'delivery.webhooks.2.reply',
    ]);
  });

  it("writes acknowledgements and escalations into the helpdesk's own ticket: a Zendesk note, a Freshdesk public reply", async () => {
    const api = apiClient(rt, rt.apiKey);
    // The first test left the clock at noon.
    const zd = opened({ ticketId: 'zd-5158', occurredAt: '2026-11-23T12:00:00Z' });
    const fd = opened({ ticketId: 'fd-42', occurredAt: '2026-11-23T12:00:00Z' });
    expect((await api.post({ ...zd, data: { ...zd.data, priority: 'urgent' } })).status).toBe(202);
    expect((await api.post({ ...fd, data: { ...fd.data, priority: 'urgent' } })).status).toBe(202);
    await rt.settle();
    const [zdAck, ...zdRest] = tools.under('/zd');
    const [fdAck, ...fdRest] = tools.under('/fd/');
    expect([zdRest.length, fdRest.length]).toEqual([0, 0]);
    // Zendesk: a ticket update with a private comment, as the token's agent.
    expect(zdAck).toMatchObject({
      method: 'PUT',
      path: '/zd/api/v2/tickets/5158.json',
      authorization: `Basic ${Buffer.from('heed-bot@acme.example/token:zendesk-api-token-123').toString('base64')}`,
      body: { ticket: { comment: { public: false } } },
    });
    const note = String((zdAck?.body.ticket as { comment?: { body: string } } | undefined)?.comment?.body);
    expect(note).toMatch(/heed-delivery:\S+$/);
    // Freshdesk: the tenant chose public replies; the helpdesk e-mails the customer.
    expect(fdAck).toMatchObject({
      method: 'POST',
      path: '/fd/api/v2/tickets/42/reply',
      authorization: `Basic ${Buffer.from('freshdesk-api-key-456:X').toString('base64')}`,
    });
    expect(String(fdAck?.body.body)).toContain('heed-delivery:');
    expect(fdAck?.body).not.toHaveProperty('private');
    // The credentials are stored sealed, never in clear.
    const stored = JSON.stringify(await rt.tenants.configOf('acme'));
    expect(stored).not.toContain('zendesk-api-token-123');
    expect(stored).not.toContain('freshdesk-api-key-456');

    // The urgent Zendesk ticket breaches: its escalations are internal notes there, with the facts.
    await rt.advanceClock(new Date('2026-11-23T13:05:00Z'));
    const escalations = tools.under('/zd').slice(1);
    expect(escalations.length).toBeGreaterThanOrEqual(2);
    for (const e of escalations) {
      const comment = (e.body.ticket as { comment: { body: string; public: boolean } }).comment;
      expect(comment.public).toBe(false);
      expect(comment.body).toContain('Clock: First response (cycle 1)');
      expect(comment.body).toContain('heed-delivery:');
    }
    // Internal notices on a Freshdesk ticket are private notes even with public replies chosen.
    const fdNotices = tools.under('/fd/').slice(1);
    expect(fdNotices.length).toBeGreaterThanOrEqual(2);
    for (const e of fdNotices)
      expect([e.path, e.body.private]).toEqual(['/fd/api/v2/tickets/42/notes', true]);
  });
});
