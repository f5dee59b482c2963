import { request } from 'node:http';
import { MAX_BODY_BYTES, parseJson, stringifyJson } from '@heed/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Expect, expectFor, type HostileRequest, hostileRequests } from '../support/hostile';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

/**
 * Hostile input, seeded: HEED_FUZZ_REQUESTS requests (default 1500; the hardening issue's check
 * runs 10,000) of broken and barely-valid events through the real HTTP server. Oracle: no 5xx,
 * no hang, nothing invalid accepted, every valid event answered as the oracle expects, unknown
 * fields kept verbatim, and no two ids or tickets ever merged.
 */
const COUNT = Number(process.env.HEED_FUZZ_REQUESTS ?? 1500);
const SEED = Number(process.env.HEED_FUZZ_SEED ?? 20261123);

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ services: [] });
});
afterAll(async () => {
  await rt?.stop();
});

const send = (req: HostileRequest): Promise<{ status: number; text: string }> =>
  new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${rt.apiKey}` };
    if (req.contentType !== null) headers['content-type'] = req.contentType;
    const r = request(`${rt.url}/v1/events`, { method: 'POST', headers, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    r.on('timeout', () => r.destroy(new Error(`no answer within 20 s: ${req.label}`)));
    r.on('error', reject);
    r.end(req.body);
  });

const get = async (path: string) => {
  const res = await fetch(`${rt.url}${path}`, { headers: { authorization: `Bearer ${rt.apiKey}` } });
  const text = await res.text();
  const parsed = parseJson(text);
  return { status: res.status, body: (parsed.ok ? parsed.value : null) as Record<string, unknown> };
};

const SINGLE_STATUS: Record<Expect, number> = { accepted: 202, duplicate: 200, conflict: 409, rejected: 400 };

describe(`${COUNT} seeded hostile requests (seed ${SEED})`, () => {
  it('never answer 5xx or hang, accept nothing invalid, keep unknown fields verbatim, merge nothing', async () => {
    const requests = hostileRequests(SEED, COUNT, rt.clock.now());
    const oracle = new Map<string, { fingerprint: string; ticketId: string }>();
    const accepted = new Map<string, { ticketId: string; dataText: string }>();
    const problems: string[] = [];
    const defects = new Set<string>();
    for (const [n, req] of requests.entries()) {
      const res = await send(req);
      const where = `#${n} ${req.label}`;
      if (res.status >= 500) problems.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
      if (req.kind === 'body') {
        if (!req.bodyStatus?.includes(res.status)) problems.push(`${where}: got ${res.status}`);
        continue;
      }
      // Events that together exceed the body limit are refused whole, before any is read.
      if (req.body.byteLength > MAX_BODY_BYTES) {
        if (res.status !== 413) problems.push(`${where}: ${req.body.byteLength} bytes, got ${res.status}`);
        continue;
      }
      const expected = req.events.map((e) => expectFor(e, oracle));
      for (const e of req.events) if (e.defect) defects.add(e.defect);
      const body = (parseJson(res.text) as { ok: boolean; value: Record<string, unknown> }).value;
      const got: string[] =
        req.kind === 'single'
          ? [
              (
                { 202: 'accepted', 200: 'duplicate', 409: 'conflict', 400: 'rejected' } as Record<
                  number,
                  string
                >
              )[res.status] ?? `HTTP ${res.status}`,
            ]
          : ((body?.results as { status: string }[] | undefined)?.map((r) => r.status) ?? [
              `HTTP ${res.status}`,
            ]);
      if (req.kind === 'single' && res.status !== SINGLE_STATUS[expected[0] as Expect])
        problems.push(`${where}: expected ${expected[0]}, got ${res.status} ${res.text.slice(0, 160)}`);
      if (JSON.stringify(got) !== JSON.stringify(expected))
        problems.push(
          `${where}: expected ${expected.join(',')}, got ${got.join(',')} ${res.text.slice(0, 160)}`,
        );
      req.events.forEach((e, i) => {
        if (expected[i] === 'accepted' && e.id && e.ticketId)
          accepted.set(e.id, { ticketId: e.ticketId, dataText: e.dataText ?? 'null' });
      });
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(defects.size).toBeGreaterThan(20); // the run did exercise most ways to break an event

    // No aliasing: every ticket holds exactly the events accepted for it, each data verbatim.
    const byTicket = new Map<string, string[]>();
    for (const [id, a] of accepted) byTicket.set(a.ticketId, [...(byTicket.get(a.ticketId) ?? []), id]);
    for (const [ticketId, ids] of byTicket) {
      const page = await get(`/v1/tickets/${encodeURIComponent(ticketId)}?limit=200`);
      expect(page.status, ticketId).toBe(200);
      expect(page.body.ticketId).toBe(ticketId);
      expect(page.body.eventCount, ticketId).toBe(ids.length);
      const timeline = (page.body.timeline as { source: string; id: string; data: unknown }[]).filter(
        (t) => t.source === 'producer',
      );
      expect(timeline.map((t) => t.id).sort(), ticketId).toEqual([...ids].sort());
      for (const t of timeline) {
        const sentData = parseJson(accepted.get(t.id)?.dataText ?? 'null');
        expect(stringifyJson(t.data), t.id).toBe(stringifyJson(sentData.ok ? sentData.value : null));
      }
    }
    await rt.settle();
    expect(rt.relay.failures).toEqual([]);
  }, 900_000);
});
