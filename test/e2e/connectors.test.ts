import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { HEED_MARKER } from '@heed/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDirectoryOf, heed } from '../support/cli';
import { apiClient, startTestRuntime, type TestRuntime } from '../support/runtime';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/connectors/${name}.json`, import.meta.url), 'utf8'));

let rt: TestRuntime;
let cwd: string;
beforeAll(async () => {
  rt = await startTestRuntime({ services: ['sla'] });
  // The fixtures happened that morning; Heed's clock is later, so none is ahead of it.
  rt.clock.set('2026-11-23T12:00:00Z');
  cwd = cliDirectoryOf(rt);
});
afterAll(async () => {
  await rt?.stop();
});

const added = async (provider: string, ...flags: string[]) =>
  JSON.parse(await heed(cwd, 'connector', 'add', 'acme', provider, '--json', ...flags)) as {
    connectorId: string;
    url: string;
    secret: string;
  };

/** Posts a product's webhook as that product does, signed its way with `secret`. */
const deliver = async (
  url: string,
  body: unknown,
  sign: (raw: string) => Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> => {
  const raw = JSON.stringify(body);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...sign(raw) },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const chatwoot = (secret: string) => (raw: string) => {
  const ts = String(Math.floor(Date.now() / 1000));
  return {
    'x-chatwoot-timestamp': ts,
    'x-chatwoot-signature': `sha256=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`,
  };
};
const helpScout = (secret: string, event: string) => (raw: string) => ({
  'x-helpscout-event': event,
  'x-helpscout-signature': createHmac('sha1', secret).update(raw).digest('base64'),
});

const zendesk = (secret: string) => (raw: string) => {
  const ts = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    'x-zendesk-webhook-signature-timestamp': ts,
    'x-zendesk-webhook-signature': createHmac('sha256', secret).update(`${ts}${raw}`).digest('base64'),
  };
};

describe('connectors', () => {
  it("turn Chatwoot's signed webhooks into a ticket: opened, answered, resolved; redeliveries are duplicates", async () => {
    // Chatwoot makes the webhook's secret; the operator hands it to Heed.
    const { url, secret } = await added('chatwoot', '--secret', 'chatwoot-made-this-secret');
    expect(secret).toBe('chatwoot-made-this-secret');
    expect(url).toMatch(new RegExp(`^${rt.url}/v1/connectors/acme\\.[A-Za-z0-9]{20}$`));
    for (const name of [
      'chatwoot-conversation-created',
      'chatwoot-message-incoming',
      'chatwoot-message-outgoing',
    ]) {
      const res = await deliver(url, fixture(name), chatwoot(secret));
      expect([res.status, res.body.status, res.body.accepted], name).toEqual([202, 'mapped', 1]);
    }
    const again = await deliver(url, fixture('chatwoot-message-outgoing'), chatwoot(secret));
    expect([again.status, again.body.duplicates]).toEqual([202, 1]);
    expect((await deliver(url, fixture('chatwoot-status-resolved'), chatwoot(secret))).status).toBe(202);
    await rt.settle();
    const ticket = await apiClient(rt, rt.apiKey).ticket<{
      status: string;
      channel: string;
      customer: { name: string };
      firstPublicReplyAt: string;
      sla: { clocks: { kind: string; status: string }[] };
    }>('cw-10');
    expect(ticket.status).toBe(200);
    expect(ticket.body).toMatchObject({
      status: 'solved',
      channel: 'chat',
      customer: { name: 'Jane Roe' },
      firstPublicReplyAt: '2026-11-23T09:20:00.000Z',
    });
    expect(ticket.body.sla.clocks.find((c) => c.kind === 'first_response')?.status).toBe('met');
  });

  it('answer what they cannot map with a 200 and the reason, and refuse bad signatures and unknown connectors', async () => {
    const { url, secret } = await added('chatwoot', '--secret', 'another-chatwoot-secret');
    const ignored = await deliver(url, { event: 'contact_created', id: 3 }, chatwoot(secret));
    expect([ignored.status, ignored.body.status, ignored.body.reason]).toEqual([
      200,
      'ignored',
      'Chatwoot event "contact_created" is not mapped',
    ]);
    const own = {
      ...fixture('chatwoot-message-outgoing'),
      id: 120,
      content: `Thanks, we have your request. ${HEED_MARKER}d-1`,
    };
    expect((await deliver(url, own, chatwoot(secret))).body.reason).toMatch(/Heed's own message/);
    const forged = await deliver(url, fixture('chatwoot-message-incoming'), chatwoot('not-the-secret'));
    expect([forged.status, forged.body.error]).toEqual([401, 'unauthorized']);
    const unsigned = await deliver(url, fixture('chatwoot-message-incoming'), () => ({}));
    expect(unsigned.status).toBe(401);
    const unknown = await deliver(`${rt.url}/v1/connectors/acme.AAAAAAAAAAAAAAAAAAAA`, {}, chatwoot(secret));
    expect([unknown.status, unknown.body.error]).toEqual([404, 'not_found']);
    const nonsense = await deliver(`${rt.url}/v1/connectors/..%2F..`, {}, chatwoot(secret));
    expect(nonsense.status).toBe(404);
  });

  it('turn Help Scout webhooks into a ticket with a secret Heed made, and stop answering once removed', async () => {
    const { url, secret, connectorId } = await added('helpscout');
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const created = await deliver(
      url,
      fixture('helpscout-convo-created'),
      helpScout(secret, 'convo.created'),
    );
    expect([created.status, created.body.accepted]).toEqual([202, 1]);
    const reply = fixture('helpscout-agent-reply');
    for (const event of ['convo.note.created', 'convo.agent.reply.created', 'convo.status'])
      expect((await deliver(url, reply, helpScout(secret, event))).status, event).toBe(202);
    await rt.settle();
    const ticket = await apiClient(rt, rt.apiKey).ticket<Record<string, unknown>>('hs-2391938111');
    expect(ticket.body).toMatchObject({
      status: 'pending',
      channel: 'email',
      subject: 'Invoice is wrong',
      // The note is internal: the first public reply is the agent's at 10:30.
      firstPublicReplyAt: '2026-11-23T10:30:00.000Z',
    });
    const listed = JSON.parse(await heed(cwd, 'connector', 'list', 'acme', '--json')) as {
      connectorId: string;
    }[];
    expect(listed.map((c) => c.connectorId)).toContain(connectorId);
    expect(JSON.stringify(listed)).not.toContain(secret);
    await heed(cwd, 'connector', 'remove', 'acme', connectorId);
    const gone = await deliver(url, reply, helpScout(secret, 'convo.status'));
    expect(gone.status).toBe(404);
    await expect(heed(cwd, 'connector', 'add', 'acme', 'zendesk-ish')).rejects.toMatchObject({
      stderr: expect.stringContaining('no provider zendesk-ish; one of chatwoot, helpscout, zendesk'),
    });
  });

  it("turn Zendesk's signed event webhooks into a ticket, and drop Heed's own comment", async () => {
    const { url, secret } = await added('zendesk', '--secret', 'zendesk-signing-secret-0123');
    for (const name of ['zendesk-ticket-created', 'zendesk-comment-added', 'zendesk-status-changed']) {
      const res = await deliver(url, fixture(name), zendesk(secret));
      expect([res.status, res.body.accepted], name).toEqual([202, 1]);
    }
    const again = await deliver(url, fixture('zendesk-status-changed'), zendesk(secret));
    expect([again.status, again.body.duplicates]).toEqual([202, 1]);
    const comment = fixture('zendesk-comment-added');
    const own = {
      ...comment,
      id: 'another-event',
      event: {
        comment: { id: '1', body: `Acknowledged. ${HEED_MARKER}d-7`, author: { id: '5', is_staff: true } },
      },
    };
    expect((await deliver(url, own, zendesk(secret))).body.reason).toMatch(/Heed's own message/);
    expect((await deliver(url, comment, zendesk('wrong-secret-0000'))).status).toBe(401);
    await rt.settle();
    const ticket = await apiClient(rt, rt.apiKey).ticket<Record<string, unknown>>('zd-5158');
    expect(ticket.body).toMatchObject({
      status: 'solved',
      priority: 'high',
      channel: 'web',
      firstPublicReplyAt: '2026-11-23T09:40:00.000Z',
    });
  });
});
