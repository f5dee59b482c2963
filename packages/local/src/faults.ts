import type { SQSClient } from '@aws-sdk/client-sqs';
import type { CallFaults } from '@heed/aws';
import type { PostMethod, PostPolicy, WebhookPoster } from '@heed/notifier';

/**
 * The local runtime's fault mode (HEED_FAULTS): what AWS and the receivers may do to Heed on any
 * day, on purpose and seeded, so that a whole lifecycle can be lived through it and compared with
 * a run without faults.
 *
 *   duplicate=3        every SQS message (bus deliveries, timer firings, sweeper redrives) is
 *                      delivered 1 to 3 times
 *   ddb-error=0.1      a share of the handlers' DynamoDB calls fail before they are sent
 *   ddb-lost-reply=0.05 a share of their DynamoDB writes commit, then lose their reply (the
 *                      handler sees an error although the write happened)
 *   bus-error=0.1      a share of the events put on the bus are refused (PutEvents entries)
 *   webhook-error=0.3  a share of webhook calls fail: half refused, half delivered with the
 *                      answer lost (the receiver sees that message again, same delivery id)
 */
export const FAULT_KINDS = [
  'duplicate',
  'ddb-error',
  'ddb-lost-reply',
  'bus-error',
  'webhook-error',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type FaultPlan = Readonly<Partial<Record<FaultKind, number>>>;

export class FaultPlanError extends Error {
  override readonly name = 'FaultPlanError';
}

/** An error the fault mode injected: named, so logs and tickets say what it was. */
export class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
  /** AWS SDK errors carry this: an injected one is transient, like a 500 from the service. */
  readonly $retryable = { throttling: false };
}

/** Reads `duplicate=3,ddb-error=0.1,…`; every problem is named. */
export const parseFaultPlan = (text: string): FaultPlan => {
  const plan: Partial<Record<FaultKind, number>> = {};
  const problems: string[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [kind = '', value = ''] = part.split('=', 2).map((x) => x.trim());
    const n = Number(value);
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
      problems.push(`${kind || part}: not a fault kind (${FAULT_KINDS.join(', ')})`);
      continue;
    }
    if (kind === 'duplicate' ? !Number.isInteger(n) || n < 1 || n > 10 : !(n >= 0 && n < 1) || value === '')
      problems.push(
        `${kind}=${value}: ${kind === 'duplicate' ? 'a whole number of deliveries from 1 to 10' : 'a share from 0 to below 1'}`,
      );
    else plan[kind as FaultKind] = n;
  }
  if (problems.length > 0) throw new FaultPlanError(`HEED_FAULTS: ${problems.join('; ')}`);
  return plan;
};

/** mulberry32: a small seeded generator; the same seed draws the same sequence. */
const generator = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/**
 * Decides every fault from one seeded generator and counts what it injected. Work runs
 * concurrently, so which call draws which number varies between runs; what a run must show is
 * the same outcome whatever the draws.
 */
export class Faults implements CallFaults {
  readonly injected: Record<FaultKind, number> = {
    duplicate: 0,
    'ddb-error': 0,
    'ddb-lost-reply': 0,
    'bus-error': 0,
    'webhook-error': 0,
  };
  readonly #random: () => number;

  constructor(
    readonly plan: FaultPlan,
    readonly seed: number,
  ) {
    this.#random = generator(seed);
  }

  #paused = false;

  /** Injects nothing until resumed (an operator's redrive after the outage, say). */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
  }

  #hit(kind: FaultKind): boolean {
    if (this.#paused) return false;
    const share = this.plan[kind] ?? 0;
    if (share <= 0 || this.#random() >= share) return false;
    this.injected[kind]++;
    return true;
  }

  before(service: string, command: string): Error | null {
    return service === 'DynamoDB' && this.#hit('ddb-error')
      ? new InjectedFault(`injected: DynamoDB ${command} failed before it was sent`)
      : null;
  }

  afterWrite(service: string, command: string): Error | null {
    return service === 'DynamoDB' && this.#hit('ddb-lost-reply')
      ? new InjectedFault(`injected: DynamoDB ${command} committed, its reply was lost`)
      : null;
  }

  /** How many times to deliver one SQS message (1 without duplicates). */
  copies(): number {
    const most = this.plan.duplicate ?? 1;
    if (most <= 1 || this.#paused) return 1;
    const n = 1 + Math.floor(this.#random() * most);
    this.injected.duplicate += n - 1;
    return n;
  }

  /** Does the bus refuse this event (one PutEvents entry)? */
  refuseEvent(): boolean {
    return this.#hit('bus-error');
  }

  /** A poster whose calls fail now and then: refused before, or delivered with the answer lost. */
  poster(inner: WebhookPoster): WebhookPoster {
    return {
      post: async (
        url: string,
        headers: Record<string, string>,
        body: string,
        policy: PostPolicy,
        method?: PostMethod,
      ) => {
        if (!this.#hit('webhook-error')) return inner.post(url, headers, body, policy, method);
        if (this.#random() < 0.5) throw new InjectedFault('injected: the endpoint refused the connection');
        await inner.post(url, headers, body, policy, method);
        throw new InjectedFault('injected: the endpoint took the message, its answer was lost');
      },
    };
  }

  /** One line for the console: what was injected, by kind. */
  summary(): string {
    return FAULT_KINDS.map((k) => `${k} ${this.injected[k]}`).join(', ');
  }
}

/** Sends each SendMessage of `sqs` as often as the fault mode says (SQS is at-least-once). */
export const duplicateSends = (sqs: SQSClient, faults: Faults): void => {
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'SendMessageCommand') return next(args);
      const copies = faults.copies();
      for (let i = 1; i < copies; i++) await next(args);
      return next(args);
    },
    { step: 'initialize', name: 'heedDuplicateSends' },
  );
};
