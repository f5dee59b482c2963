import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEnvelope } from '../../packages/local/src/local-bus';
import { cliDirectoryOf, heed } from '../support/cli';
import { apiClient, eventually, opened, startTestRuntime, type TestRuntime } from '../support/runtime';

let rt: TestRuntime;
let cwd: string;
const bus: BusEnvelope[] = [];
beforeAll(async () => {
  // The acknowledger is not running: its messages stay in its queue for the commands to find.
  rt = await startTestRuntime({ services: [] });
  rt.bus.onEvent((e) => bus.push(e));
  cwd = cliDirectoryOf(rt);
});
afterAll(async () => {
  await rt?.stop();
});

describe('heed CLI against a running local runtime', () => {
  it('lists dead letters by their ids and redrives them to their queue', async () => {
    const envelope = {
      'detail-type': 'Ticket Received',
      detail: { eventId: 'ticket-received:x1', tenantId: 'acme', ticketId: 'T-dead', data: {} },
    };
    await rt.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: rt.queues.acknowledger.dlqUrl,
        MessageBody: JSON.stringify(envelope),
      }),
    );
    // What the consumer's dead-letter hook recorded on the ticket when it gave up.
    await rt.deliveries.recordFailure(
      'acme',
      'T-dead',
      { consumer: 'acknowledger', detailType: 'Ticket Received', eventId: 'ticket-received:x1' },
      'gave up after every retry: Error: boom',
      new Date('2026-11-23T00:00:00Z'),
    );
    const listed = await heed(cwd, 'dlq', 'list', 'acknowledger');
    expect(listed).toContain('acknowledger: 1 message');
    expect(listed).toMatch(/message id\s+sent\s+receives\s+type\s+ticket\s+event\s+first failure/);
    expect(listed).toMatch(
      /Ticket Received\s+acme\/T-dead\s+ticket-received:x1\s+2026-11-23T00:00:00.000Z gave up after every retry: Error: boom/,
    );
    const [queue] = JSON.parse(await heed(cwd, 'dlq', 'list', 'acknowledger', '--json')) as {
      consumer: string;
      messages: { receiveCount: number; firstFailure: string }[];
    }[];
    expect(queue?.messages[0]).toMatchObject({ firstFailure: expect.stringContaining('Error: boom') });
    expect(queue?.messages[0]?.receiveCount).toBeGreaterThan(0);
    const moved = await heed(cwd, 'dlq', 'redrive', 'acknowledger');
    expect(moved).toContain('moved back to acknowledger: 1 message');
    expect(await heed(cwd, 'dlq', 'list', 'acknowledger')).toContain('acknowledger: 0 messages');
  });

  it("re-publishes a ticket's domain events from the log, which reach the consumers again", async () => {
    const api = apiClient(rt, rt.apiKey);
    const event = opened();
    await api.post(event);
    const received = () =>
      bus.filter(
        (e) =>
          e['detail-type'] === 'Ticket Received' &&
          (e.detail as { ticketId: string }).ticketId === event.ticketId,
      );
    await eventually(() => (received().length === 1 ? true : undefined));
    const out = await heed(cwd, 'outbox', 'redrive', '--tenant', 'acme', '--ticket', event.ticketId);
    expect(out).toContain('re-published 1 domain events');
    // The same eventId is in the (unconsumed) acknowledger queue twice now: consumers dedupe it.
    const bodies: string[] = [];
    await eventually(async () => {
      const out = await rt.clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: rt.queues.acknowledger.url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 60,
        }),
      );
      bodies.push(...(out.Messages ?? []).map((m) => m.Body ?? ''));
      return bodies.filter((b) => b.includes(`ticket-received:${event.id}`)).length === 2 ? true : undefined;
    });
  });

  it('explains what is missing instead of failing obscurely', async () => {
    await expect(heed(cwd, 'outbox', 'redrive', '--tenant', 'acme')).rejects.toMatchObject({
      stderr: expect.stringContaining('--from <ISO instant> is required'),
    });
    await expect(heed(cwd, 'dlq', 'list', 'nobody')).rejects.toMatchObject({
      stderr: expect.stringContaining('no consumer nobody'),
    });
    for (const bad of ['abc', '0', '-1', '1.5'])
      await expect(heed(cwd, 'dlq', 'redrive', 'acknowledger', `--max=${bad}`)).rejects.toMatchObject({
        stderr: expect.stringContaining('--max must be a whole number of at least 1'),
      });
    await expect(
      heed(
        cwd,
        'outbox',
        'redrive',
        '--tenant',
        'acme',
        '--from',
        '2026-01-01T00:00Z',
        '--to',
        '2026-03-01T00:00Z',
      ),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('at most 31 days') });
    await expect(
      heed(
        cwd,
        'outbox',
        'redrive',
        '--tenant',
        'acme',
        '--from',
        '2026-03-01T00:00Z',
        '--to',
        '2026-01-01T00:00Z',
      ),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('--from must be before --to') });
  });

  it('is a tool a person can use: clear errors and exit codes, --help on every command, tables and --json', async () => {
    const fails = async (args: string[], code: number, message: string) => {
      const error = await heed(cwd, ...args).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(error, args.join(' ')).toMatchObject({ code, stderr: expect.stringContaining(message) });
    };
    await fails(
      ['keys', 'list', 'nosuch'],
      1,
      'no tenant nosuch (create it with: npm run heed -- tenant create nosuch)',
    );
    await fails(['config', 'show', 'nosuch'], 1, 'no tenant nosuch');
    await fails(
      ['keys', 'revoke', 'acme'],
      2,
      'keys revoke: missing <keyId>\nusage: npm run heed -- keys revoke <tenant> <keyId>',
    );
    await fails(['keys'], 2, 'keys: which command? one of: list, issue, rotate, revoke');
    await fails(['keys', 'lst', 'acme'], 2, 'keys: unknown command lst; one of: list, issue, rotate, revoke');
    await fails(['keys', 'list', 'acme', 'extra'], 2, 'keys list: unexpected extra');
    await fails(['nothing'], 2, 'unknown command: nothing');
    await fails(['keys', 'list', '--nope'], 2, "Unknown option '--nope'");
    for (const command of [
      'tenant create',
      'keys list',
      'keys issue',
      'keys rotate',
      'keys revoke',
      'config validate',
      'config push',
      'config show',
      'dlq list',
      'dlq redrive',
      'outbox redrive',
      'customer erase',
      'webhook rotate',
    ]) {
      const help = await heed(cwd, ...command.split(' '), '--help');
      expect(help.startsWith(`npm run heed -- ${command}`), command).toBe(true);
    }
    const table = await heed(cwd, 'keys', 'list', 'acme');
    expect(table.split('\n')[0]).toMatch(/^key id\s+status\s+created\s+revoked$/);
    const keys = JSON.parse(await heed(cwd, 'keys', 'list', 'acme', '--json')) as {
      keyId: string;
      status: string;
    }[];
    expect(keys.length).toBeGreaterThan(0);
    expect(keys[0]?.status).toBe('active');
    expect(table).toContain(keys[0]?.keyId);
  }, 90_000); // Thirty-odd CLI processes, each a cold tsx start.

  it('rotates a webhook secret: a new whsec_ secret shown once, the old one kept, sealed, until it expires', async () => {
    const current = await rt.tenants.configOf('acme');
    await rt.tenants.putConfig(
      'acme',
      {
        ...current,
        delivery: {
          ...current.delivery,
          webhooks: [
            {
              id: 'crm',
              format: 'heed' as const,
              url: 'https://crm.example.com/h',
              secret: 'the-first-secret-0123456789',
              audiences: ['customer'],
            },
          ],
        },
      },
      rt.clock.now(),
    );
    const out = await heed(cwd, 'webhook', 'rotate', 'acme', 'crm', '--keep-hours', '2');
    const secret = /secret {2}(whsec_\S+)/.exec(out)?.[1] ?? '';
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    const [hook] = (await rt.tenants.configOf('acme')).delivery.webhooks;
    expect(hook?.secret).toMatch(/^sealed:/);
    expect(hook?.previousSecret?.secret).toMatch(/^sealed:/);
    expect(Date.parse(hook?.previousSecret?.until ?? '') - Date.now()).toBeGreaterThan(7_000_000);
    const shown = await heed(cwd, 'config', 'show', 'acme');
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain('the-first-secret');
    await expect(heed(cwd, 'webhook', 'rotate', 'acme', 'nope')).rejects.toMatchObject({
      stderr: expect.stringContaining('no webhook nope for acme; one of: crm'),
    });
  });

  it("erases a customer's personal data from the command line, once", async () => {
    const api = apiClient(rt, rt.apiKey);
    const event = opened({
      data: {
        channel: 'email',
        priority: 'high',
        subject: 'Erase me',
        customer: { id: 'c-cli-erase', name: 'Ida Erase' },
      },
    });
    expect((await api.post(event)).status).toBe(202);
    const out = await heed(cwd, 'customer', 'erase', 'acme', 'c-cli-erase');
    expect(out).toMatch(
      new RegExp(`erased customer c-cli-erase of acme \\(since .+\\): 1 ticket \\(${event.ticketId}\\)`),
    );
    const state = await rt.tickets.get('acme', event.ticketId);
    expect(state).toMatchObject({ subject: null, customer: { id: 'c-cli-erase' } });
    expect(JSON.stringify(state)).not.toContain('Ida Erase');
    const again = JSON.parse(await heed(cwd, 'customer', 'erase', 'acme', 'c-cli-erase', '--json')) as {
      items: number;
    };
    expect(again.items).toBe(0);
  });

  it('says when a dead-letter queue holds more than it lists', async () => {
    for (let i = 0; i < 3; i++)
      await rt.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: rt.queues.sla.dlqUrl,
          MessageBody: JSON.stringify({ 'detail-type': 'Ticket Received', detail: { ticketId: `T-${i}` } }),
        }),
      );
    const listed = await heed(cwd, 'dlq', 'list', 'sla', '--max', '2');
    expect(listed).toContain('sla: 2 messages');
    expect(listed).toContain('about 1 more: pass --max 3 to list them');
    expect(await heed(cwd, 'dlq', 'redrive', 'sla', '--max', '3')).toContain('moved back to sla: 3 messages');
  });
});
