import { randomBytes } from 'node:crypto';
import type { TenantConfigInput } from '@heed/contracts';
import { ManualClock, validateTenantConfig } from '@heed/core';
import { inject } from 'vitest';
import type { BusEnvelope } from '../../packages/local/src/local-bus';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../packages/local/src/runtime';

export interface TestRuntime extends Runtime {
  readonly clock: ManualClock;
  readonly apiKey: string;
}

/** A whole Heed on the shared emulators, with its own tables and queues and a manual clock. */
export const startTestRuntime = async (options: Partial<RuntimeOptions> = {}): Promise<TestRuntime> => {
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  const runtime = await startRuntime({
    port: 0,
    clock,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    sqsEndpoint: inject('sqsEndpoint'),
    namePrefix: `t${randomBytes(4).toString('hex')}-`,
    devTenant: { id: 'acme' },
    visibilityTimeoutSeconds: 1,
    ...options,
  });
  if (!runtime.devTenant.apiKey) throw new Error('dev tenant has no key');
  return Object.assign(runtime, { clock, apiKey: runtime.devTenant.apiKey });
};

export interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
}

/** A small HTTP client for the runtime's API, as a producer would call it. */
export const apiClient = (runtime: { url: string }, apiKey: string) => {
  const call = async <T>(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ) => {
    const res = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...init.headers },
      ...(init.body !== undefined && { body: init.body }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  };
  return {
    post: <T = Record<string, unknown>>(body: unknown, headers?: Record<string, string>): Promise<Reply<T>> =>
      call<T>('POST', '/v1/events', {
        body: typeof body === 'string' ? body : JSON.stringify(body),
        ...(headers && { headers }),
      }),
    /** `GET /v1/reports/sla`, or with a proposed configuration `POST /v1/reports/sla/whatif`. */
    report: <T = Record<string, unknown>>(
      query: Record<string, string>,
      proposed?: unknown,
    ): Promise<Reply<T>> => {
      const qs = new URLSearchParams(query).toString();
      return proposed === undefined
        ? call<T>('GET', `/v1/reports/sla?${qs}`)
        : call<T>('POST', `/v1/reports/sla/whatif?${qs}`, {
            body: typeof proposed === 'string' ? proposed : JSON.stringify(proposed),
          });
    },
    ticket: <T = Record<string, unknown>>(
      ticketId: string,
      query: Record<string, string> = {},
    ): Promise<Reply<T>> => {
      const qs = new URLSearchParams(query).toString();
      return call<T>('GET', `/v1/tickets/${encodeURIComponent(ticketId)}${qs ? `?${qs}` : ''}`);
    },
  };
};

let seq = 0;
/** A valid ticket.opened, with overrides. */
export const opened = (overrides: Record<string, unknown> = {}) => ({
  id: `evt-${++seq}-${randomBytes(3).toString('hex')}`,
  type: 'ticket.opened',
  ticketId: `T-${seq}-${randomBytes(3).toString('hex')}`,
  occurredAt: '2026-11-23T09:15:00+09:00',
  data: {
    channel: 'email',
    priority: 'high',
    subject: 'Order never arrived',
    customer: {
      id: 'c-1',
      name: 'Aiko Tanaka',
      email: 'aiko@example.com',
      locale: 'ja-JP',
      timeZone: 'Asia/Tokyo',
    },
  },
  ...overrides,
});

/**
 * Polls until `probe` returns a value (not undefined), for effects that cross real processes
 * (stream, queues). Bounded; it asserts an outcome, never a duration.
 */
export const eventually = async <T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not reached within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
};

/**
 * A test runtime whose tenant `acme` has `config`, its clock set to `at`, every bus event pushed
 * to `bus`, and an API client with the tenant's key.
 */
export const startConfiguredRuntime = async (
  config: TenantConfigInput,
  at: string,
  bus: BusEnvelope[],
  options: Partial<RuntimeOptions> = {},
) => {
  const rt = await startTestRuntime({ retryBaseSeconds: 0, ...options });
  const checked = validateTenantConfig(config);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  rt.faults?.pause(); // as an operator would, before the outage
  await rt.tenants.putConfig('acme', checked.value, rt.clock.now());
  rt.faults?.resume();
  rt.bus.onEvent((e) => bus.push(e));
  rt.clock.set(at);
  return { rt, api: apiClient(rt, rt.apiKey) };
};
