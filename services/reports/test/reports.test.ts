import { runReport } from '@heed/app';
import type { ReportPartition } from '@heed/aws';
import { ManualClock } from '@heed/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { memoryReportSource, oneRuleConfig } from '../../../test/support/memory-reports';
import { createReportsHandler, engineTask, type RunStore } from '../src';

const config = oneRuleConfig;
const memorySource = memoryReportSource;

const TICKETS: Record<string, readonly [string, number]> = {
  A: ['2026-11-23T09:00:00Z', 20],
  BB: ['2026-11-23T10:00:00Z', 90],
  C: ['2026-11-24T09:00:00Z', 45],
  DD: ['2026-11-24T09:30:00Z', 200],
};

const http = (routeKey: string, query: Record<string, string>, body?: string, auth = 'Bearer k') =>
  ({
    routeKey,
    rawPath: routeKey.split(' ')[1],
    requestContext: { http: { method: routeKey.split(' ')[0] } },
    headers: { authorization: auth },
    queryStringParameters: query,
    ...(body !== undefined && { body }),
  }) as unknown as APIGatewayProxyEventV2;

const handlerWith = (source: ReturnType<typeof memorySource>, maxTickets = 100) =>
  createReportsHandler({
    auth: {
      tenantOf: async (a) => {
        if (a !== 'Bearer k') throw Object.assign(new Error('no'), { name: 'HttpError' });
        return 't';
      },
    },
    source,
    configs: { configOf: async () => config(60) },
    clock: new ManualClock('2026-11-26T00:00:00Z'),
    maxTickets,
  });
const answer = async (h: ReturnType<typeof handlerWith>, e: APIGatewayProxyEventV2) => {
  const res = (await h(e, {} as never)) as { statusCode: number; body: string };
  return { status: res.statusCode, body: JSON.parse(res.body) };
};

describe('report routes', () => {
  it('answer the report and the what-if, and name every offending query field', async () => {
    const h = handlerWith(memorySource(TICKETS));
    const report = await answer(h, http('GET /v1/reports/sla', { from: '2026-11-23', to: '2026-11-24' }));
    expect(report.status).toBe(200);
    expect(report.body.groups[0].clocks.first_response).toMatchObject({ started: 4, met: 2, breached: 2 });
    const whatIf = await answer(
      h,
      http(
        'POST /v1/reports/sla/whatif',
        { from: '2026-11-23', to: '2026-11-24' },
        JSON.stringify(config(120)),
      ),
    );
    expect(whatIf.body.changes).toEqual([
      { ticketId: 'BB', clock: 'first_response', cycle: 1, before: 'breached', after: 'met' },
    ]);
    const bad = await answer(
      h,
      http('GET /v1/reports/sla', { from: 'yesterday', to: '2026-13-40', by: 'colour,rule,rule' }),
    );
    expect([bad.status, bad.body.errors.map((e: { path: string }) => e.path)]).toEqual([
      400,
      ['to', 'from', 'by', 'by'],
    ]);
    const badConfig = await answer(
      h,
      http('POST /v1/reports/sla/whatif', {}, JSON.stringify({ sla: { rules: 'x' } })),
    );
    expect([badConfig.status, badConfig.body.error]).toEqual([400, 'invalid_config']);
    expect(badConfig.body.errors.some((e: { path: string }) => e.path.startsWith('sla.rules'))).toBe(true);
    const notJson = await answer(h, http('POST /v1/reports/sla/whatif', {}, '{'));
    expect([notJson.status, notJson.body.error]).toEqual([400, 'invalid_json']);
  });

  it('refuse a period above the limit before folding anything (413, with the engine to use)', async () => {
    const source = memorySource(TICKETS);
    const res = await answer(
      handlerWith(source, 3),
      http('GET /v1/reports/sla', { from: '2026-11-23', to: '2026-11-24' }),
    );
    expect([res.status, res.body.error, res.body.tickets, res.body.limit]).toEqual([
      413,
      'report_too_large',
      4,
      3,
    ]);
    expect(res.body.message).toContain('--state-machine');
    expect(source.logsRead).toBe(0);
  });
});

describe('the Step Functions engine', () => {
  it('makes, partition by partition, the very report and what-if one process makes', async () => {
    const source = memorySource(TICKETS);
    const objects = new Map<string, string>();
    const store: RunStore = {
      put: async (k, b) => void objects.set(k, b),
      get: async (k) => objects.get(k) ?? '',
    };
    const deps = {
      source,
      configs: { configOf: async () => config(60) },
      store,
      clock: new ManualClock('2026-11-26T00:00:00Z'),
    };
    const plan = (await engineTask(
      {
        task: 'plan',
        run: 'r1',
        tenantId: 't',
        from: '2026-11-23',
        to: '2026-11-24',
        by: 'rule',
        proposed: config(120),
      },
      deps,
    )) as { requestKey: string; partitions: ReportPartition[] };
    // Two days, four shards each.
    expect(plan.partitions).toHaveLength(8);
    // The map: one fold per partition, each writing its partial.
    const results = [];
    for (const [index, partition] of plan.partitions.entries())
      results.push(
        (await engineTask(
          { task: 'fold', run: 'r1', requestKey: plan.requestKey, partition, index },
          deps,
        )) as {
          key: string;
        },
      );
    const done = (await engineTask(
      { task: 'combine', run: 'r1', requestKey: plan.requestKey, results },
      deps,
    )) as {
      key: string;
      tickets: number;
    };
    expect([done.key, done.tickets]).toEqual(['runs/r1/report.json', 4]);
    const inProcess = await runReport(source, {
      tenantId: 't',
      from: new Date('2026-11-23T00:00:00Z'),
      to: new Date('2026-11-25T00:00:00Z'),
      by: ['rule'],
      now: new Date('2026-11-26T00:00:00Z'),
      config: config(60),
      proposed: config(120),
    });
    expect(JSON.parse(objects.get(done.key) ?? '')).toEqual(inProcess.whatIf);
    await expect(engineTask({ task: 'plan', run: 'r2', tenantId: 't', from: 'x' }, deps)).rejects.toThrow(
      /from: must be a date/,
    );
    await expect(
      engineTask({ task: 'plan', run: 'r3', tenantId: 't', proposed: { sla: 1 } }, deps),
    ).rejects.toThrow(/proposed\.sla/);
  });
});
