import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { STATE_SK, ticketPk } from '@heed/aws';
import { DEFAULT_TENANT_CONFIG, validateTenantConfig } from '@heed/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDirectoryOf, heed } from '../support/cli';
import { apiClient, startTestRuntime, type TestRuntime } from '../support/runtime';

/** Calendar-hours rules, so the expected outcomes are plain arithmetic: high 30 min, normal `normal`. */
const policy = (normal: number, ladder: Record<string, unknown>[]) => ({
  ...DEFAULT_TENANT_CONFIG,
  sla: {
    ...DEFAULT_TENANT_CONFIG.sla,
    escalation: [],
    rules: [
      {
        name: 'high',
        match: { priority: ['high', 'urgent'] },
        hours: 'calendar',
        targets: { firstResponse: 30, nextResponse: 240, resolution: 2880 },
        escalation: ladder,
      },
      {
        name: 'normal',
        hours: 'calendar',
        targets: { firstResponse: normal, nextResponse: 240, resolution: 2880 },
        escalation: ladder,
      },
    ],
  },
});

let rt: TestRuntime;
let cwd: string;
beforeAll(async () => {
  rt = await startTestRuntime({ services: ['sla'] });
  cwd = cliDirectoryOf(rt);
  // Today's ladder raises an unanswered ticket's priority at its target.
  const today = validateTenantConfig(policy(60, [{ offset: 0, raisePriority: true }]));
  if (!today.ok) throw new Error(JSON.stringify(today.issues));
  await rt.tenants.putConfig('acme', today.value, rt.clock.now());
});
afterAll(async () => {
  await rt?.stop();
});

const opened = (ticketId: string, at: string) => ({
  id: `${ticketId}-open`,
  type: 'ticket.opened',
  ticketId,
  occurredAt: at,
  data: { channel: 'email', customer: { id: `c-${ticketId}` } },
});
const answered = (ticketId: string, at: string) => ({
  id: `${ticketId}-reply`,
  type: 'agent.replied',
  ticketId,
  occurredAt: at,
  data: { agentId: 'ana' },
});
const grouped = (ticketId: string, at: string, groupId: string) => ({
  id: `${ticketId}-group`,
  type: 'ticket.assigned',
  ticketId,
  occurredAt: at,
  data: { groupId },
});

/** `heed <two command words> --tenant acme` over the tickets opened on 2026-11-23, then the rest. */
const onTheDay = (...args: string[]) =>
  heed(
    cwd,
    ...args.slice(0, 2),
    '--tenant',
    'acme',
    '--from',
    '2026-11-23',
    '--to',
    '2026-11-23',
    ...args.slice(2),
  );

describe('SLA report and what-if', () => {
  it('report what happened per group, and what a proposed policy would have done, ticket by ticket', async () => {
    const api = apiClient(rt, rt.apiKey);
    const events = [
      // Billing: answered in 20 and 50 minutes; support: in 100 minutes, and never.
      opened('R1', '2026-11-23T09:00:00Z'),
      grouped('R1', '2026-11-23T09:00:00Z', 'billing'),
      answered('R1', '2026-11-23T09:20:00Z'),
      opened('R2', '2026-11-23T09:00:00Z'),
      grouped('R2', '2026-11-23T09:00:00Z', 'billing'),
      answered('R2', '2026-11-23T09:50:00Z'),
      opened('R3', '2026-11-23T09:00:00Z'),
      grouped('R3', '2026-11-23T09:00:00Z', 'support'),
      answered('R3', '2026-11-23T10:40:00Z'),
      opened('R4', '2026-11-23T09:00:00Z'),
      grouped('R4', '2026-11-23T09:00:00Z', 'support'),
      // Opened the next day: outside the period.
      opened('R5', '2026-11-24T09:00:00Z'),
    ];
    // A day's history, posted after the fact (as an import would).
    rt.clock.set('2026-11-24T12:00:00Z');
    const posted = await api.post({ events });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    await rt.settle();

    const report = JSON.parse(await onTheDay('report', 'sla', '--by', 'group', '--format', 'json'));
    const group = (key: Record<string, string>) =>
      report.groups.find(
        (g: { key: Record<string, string> }) => JSON.stringify(g.key) === JSON.stringify(key),
      );
    expect(report.groups.map((g: { key: unknown }) => g.key)).toEqual([
      {},
      { group: 'billing' },
      { group: 'support' },
    ]);
    expect(group({})).toMatchObject({ tickets: 4 });
    expect(group({ group: 'billing' }).clocks.first_response).toMatchObject({
      started: 2,
      met: 2,
      breached: 0,
      metPercent: 100,
    });
    // R3 was answered after 100 minutes, R4 never: both breached, and both raised at 10:00.
    expect(group({ group: 'support' }).clocks.first_response).toMatchObject({
      started: 2,
      met: 0,
      breached: 2,
      metPercent: 0,
    });
    expect(group({ group: 'support' }).escalations.sla).toBeGreaterThanOrEqual(2);

    // The proposal: two hours for normal tickets, no raises.
    const proposed = join(cwd, 'proposed.json');
    writeFileSync(proposed, JSON.stringify(policy(120, [{ offset: 0, notify: ['group-lead'] }])));
    const whatIf = JSON.parse(
      await onTheDay('sla', 'whatif', '--by', 'group', '--config', proposed, '--json'),
    );
    expect(whatIf.before).toEqual(report);
    const after = whatIf.after.groups.find((g: { key: Record<string, string> }) => g.key.group === 'support');
    // R3 (100 min) meets two hours once the old raise is not replayed; R4 still breaches.
    expect(after.clocks.first_response).toMatchObject({ met: 1, breached: 1, metPercent: 50 });
    expect(whatIf.changes).toEqual([
      { ticketId: 'R3', clock: 'first_response', cycle: 1, before: 'breached', after: 'met' },
    ]);
    expect(whatIf.escalations.map((e: { ticketId: string }) => e.ticketId)).toEqual(['R4']);
    // Nothing was written: the ticket still shows what happened.
    const read = await api.ticket<{ priority: string }>('R3');
    expect(read.body.priority).not.toBe('normal');

    // The same through the API, the tenant from the key.
    const period = { from: '2026-11-23', to: '2026-11-23', by: 'group' };
    const viaApi = await api.report(period);
    expect([viaApi.status, viaApi.body]).toEqual([200, report]);
    const whatIfApi = await api.report(period, readFileSync(proposed, 'utf8'));
    expect([whatIfApi.status, whatIfApi.body]).toEqual([200, whatIf]);
    const refused = await api.report({ from: '2026-11-30', to: '2026-11-01', by: 'group' });
    expect([refused.status, refused.body.errors]).toEqual([
      400,
      [{ path: 'from', message: 'must be before to' }],
    ]);
    expect((await apiClient(rt, 'not-a-key').report(period)).status).toBe(401);

    const table = await onTheDay('sla', 'whatif', '--config', proposed);
    expect(table).toContain('1 clock outcomes change');
    expect(table).toMatch(
      /1 escalations would have fired\n[\s\S]*R4\s+sla\s+first_response\s+1\s+1\s+2026-11-23T11:00:00\.000Z/,
    );
    const csv = await onTheDay('report', 'sla', '--format', 'csv');
    expect(csv.split('\n')[1]).toMatch(/^whole period,4,/);
    await expect(heed(cwd, 'report', 'sla', '--tenant', 'acme', '--by', 'colour')).rejects.toMatchObject({
      stderr: expect.stringContaining(
        '--by takes rule, priority, channel, group, agent, tier, week; not colour',
      ),
    });
  });

  it('indexes, once, tickets recorded before the index existed', async () => {
    // R1 as a ticket stored by an earlier version: its state without index keys.
    await rt.clients.documents.send(
      new UpdateCommand({
        TableName: rt.tables.tickets,
        Key: { pk: ticketPk('acme', 'R1'), sk: STATE_SK },
        UpdateExpression: 'REMOVE gpk, gsk',
      }),
    );
    const tickets = async () => JSON.parse(await onTheDay('report', 'sla', '--json')).groups[0].tickets;
    expect(await tickets()).toBe(3);
    const first = JSON.parse(await heed(cwd, 'report', 'reindex', '--json'));
    expect(first.indexed).toBe(1);
    expect(await tickets()).toBe(4);
    expect(JSON.parse(await heed(cwd, 'report', 'reindex', '--tenant', 'acme', '--json'))).toEqual({
      scanned: 0,
      indexed: 0,
    });
  });
});
