import { hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { composeAcknowledger } from '@heed/acknowledger';
import {
  type AwsClients,
  asFunction,
  CachedConfigSource,
  CallCounter,
  createClients,
  DynamoDeliveryStore,
  DynamoTenantStore,
  DynamoTicketStore,
  errorSummary,
  type Foundation,
  LocalMac,
  LocalSealer,
  logger,
  MAX_RECEIVE_COUNT,
  type MacPort,
  type MetricRecord,
  OUTBOX_STREAM_FILTER,
  observeMetrics,
  QueueTimerRedrive,
  SecretOpener,
  SqsBackoff,
  systemClock,
  type TableName,
  TenantExistsError,
} from '@heed/aws';
import {
  CONSUMERS,
  type Consumer,
  eventPatternFor,
  FEEDBACK_ROUTE_KEYS,
  REPORT_ROUTE_KEYS,
  ROUTE_KEYS,
} from '@heed/contracts';
import {
  ClockBackwardsError,
  DEFAULT_TENANT_CONFIG,
  type SteerableClock,
  validateTenantConfig,
} from '@heed/core';
import { composeFeedback, composeFollowUp } from '@heed/followup';
import { composeIntake, createRelayHandler } from '@heed/intake';
import { composeNotifier, type WebhookPoster, webhookPoster } from '@heed/notifier';
import { composeReports } from '@heed/reports';
import { composeSla } from '@heed/sla';
import { composeSweep } from '@heed/sweeper';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { advanceClock } from './clock-control';
import { checkedAnswers } from './contract-check';
import { startDynamoDbLocal } from './dynamodb-local';
import { duplicateSends, type FaultPlan, Faults } from './faults';
import { startHttpApi } from './http-server';
import type { Invocable } from './lambda-context';
import { LocalBus } from './local-bus';
import { LocalTimers } from './local-timers';
import { QueueConsumer } from './queue-consumer';
import { ScaledClock } from './scaled-clock';
import { settle } from './settle';
import { StreamPoller } from './stream-poller';
import { createTables } from './tables';

export interface RuntimeOptions {
  /** HTTP port; 0 picks a free one. Default 3000. */
  readonly port?: number;
  /** Default: real time (a ScaledClock at speed 1); tests pass a ManualClock. */
  readonly clock?: SteerableClock;
  /** Use an already running DynamoDB Local instead of starting one (tests share one). */
  readonly dynamodbEndpoint?: string;
  /** Use an already running SQS emulator instead of starting one. */
  readonly sqsEndpoint?: string;
  /** Persist DynamoDB Local under this folder instead of in memory. */
  readonly dbPath?: string;
  /** Prefix of table and queue names, so several runtimes can share emulators. */
  readonly namePrefix?: string;
  /** The development tenant created at start (skipped when it exists). */
  readonly devTenant?: { readonly id: string; readonly apiKey?: string };
  /** SQS visibility timeout of the consumer queues, in seconds: how soon a failed message returns. */
  readonly visibilityTimeoutSeconds?: number;
  /** A webhook for the development tenant's deliveries (acknowledgements etc.). */
  readonly webhook?: { readonly url: string; readonly secret: string };
  /** Queue consumers to run. Default: all that exist (acknowledger, notifier). */
  readonly services?: readonly Service[];
  /** First delivery retry delay in seconds (doubles per attempt). Default 1 locally. */
  readonly retryBaseSeconds?: number;
  /** Base URL survey links point at (e.g. a tunnel to this machine). Default: the runtime's own URL. */
  readonly publicUrl?: string;
  /** How long services cache a tenant's configuration. Default 1 s (Lambda: 60 s). */
  readonly configCacheMs?: number;
  /** Trace each function's AWS calls with their resources (`counter.traced`): the IAM test reads them. */
  readonly traceCalls?: boolean;
  /** How outbound webhooks are posted. Default: the bounded poster in local mode (http, loopback). */
  readonly poster?: WebhookPoster;
  /** 32-byte key sealing webhook secrets. Default: kept in the data dir, or random per run. */
  readonly secretsKey?: Buffer;
  /** The fault mode (HEED_FAULTS): failures injected on purpose, seeded. */
  readonly faults?: { readonly plan: FaultPlan; readonly seed: number };
}

/** The functions of a deployment, by the names their AWS calls are traced under. */
export type LocalFunction = Consumer | 'intake' | 'feedback' | 'reports' | 'outbox-relay' | 'sweeper';

/** What the local stand-ins for the KMS keys are called in traced calls (the IAM test maps them). */
export const LOCAL_KEYS = { feedback: 'local-feedback-key', secrets: 'local-secrets-key' } as const;

/** The latest instant a JavaScript Date can show as an ISO year of four digits. */
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * `POST /local/clock` with `{ "advanceMinutes": n }` or `{ "to": "<ISO>" }`: moves the clock
 * forward, answering once every timer due on the way has fired and its effects have settled.
 */
const clockRoute = async (
  body: string,
  contentType: string | undefined,
  clock: SteerableClock,
  advance: (target: Date) => Promise<Date>,
): Promise<{ status: number; body: unknown }> => {
  // JSON only: a form or text/plain post is what any web page may send cross-site without a
  // preflight (a "no-cors" request), and must not move a developer's clock.
  if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(contentType ?? ''))
    return {
      status: 415,
      body: { error: 'unsupported_media_type', message: 'send the body as application/json' },
    };
  let input: { advanceMinutes?: unknown; to?: unknown };
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new TypeError('not an object');
    input = parsed as typeof input;
  } catch {
    return {
      status: 400,
      body: {
        error: 'invalid_json',
        message: 'send a JSON object: { "advanceMinutes": n } or { "to": "<ISO>" }',
      },
    };
  }
  const now = clock.now().getTime();
  const minutes = input.advanceMinutes;
  const requested =
    typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0
      ? new Date(now + minutes * 60_000)
      : typeof input.to === 'string'
        ? new Date(input.to)
        : null;
  // A Date past year 9999 (or none at all) cannot be a clock reading: 1e20 minutes is a 400.
  const target = requested && requested.getTime() <= LAST_INSTANT ? requested : null;
  if (!target)
    return {
      status: 400,
      body: {
        error: 'invalid_request',
        message: 'send { "advanceMinutes": n } (n >= 0) or { "to": "<ISO instant>" }',
      },
    };
  try {
    return { status: 200, body: { now: (await advance(target)).toISOString(), speed: clock.speed } };
  } catch (error) {
    if (error instanceof ClockBackwardsError)
      return {
        status: 409,
        body: {
          error: 'backwards',
          message: `the clock is at ${clock.now().toISOString()} and never goes backwards`,
        },
      };
    throw error;
  }
};

/** The local secrets key of a persisted data dir (created on first use). */
const localSecretsKey = (dbPath: string): Buffer => {
  const file = join(dbPath, 'heed-secrets.key');
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  } catch {
    mkdirSync(dbPath, { recursive: true });
    const key = randomBytes(32);
    writeFileSync(file, key.toString('base64'), { mode: 0o600 });
    return key;
  }
};

/** The queue consumers the runtime can run. */
export type Service = 'acknowledger' | 'notifier' | 'sla' | 'followup';
export const SERVICES: readonly Service[] = ['acknowledger', 'notifier', 'sla', 'followup'];

export interface QueueInfo {
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
}

export interface Runtime {
  readonly url: string;
  readonly clock: SteerableClock;
  readonly counter: CallCounter;
  readonly clients: AwsClients;
  readonly tables: Record<TableName, string>;
  readonly queues: Record<Consumer, QueueInfo>;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  /** The key sealing webhook secrets locally (the CLI needs it to push configuration). */
  readonly secretsKey: Buffer;
  readonly bus: LocalBus;
  readonly tenants: DynamoTenantStore;
  readonly tickets: DynamoTicketStore;
  readonly deliveries: DynamoDeliveryStore;
  readonly relay: StreamPoller;
  readonly metrics: MetricRecord[];
  /** What the fault mode injected so far, when it is on. */
  readonly faults: Faults | null;
  readonly devTenant: { id: string; apiKey: string | null };
  /** Attaches a handler to a consumer queue, as an SQS event source mapping would. */
  consume(consumer: Consumer, handler: Invocable<SQSEvent, SQSBatchResponse | undefined>): QueueConsumer;
  /** Starts a service that was not started with the runtime (what already queued is consumed). */
  startService(service: Service): Promise<void>;
  /** The local stand-in for EventBridge Scheduler. */
  readonly timers: LocalTimers;
  /**
   * Waits until the stream is read to its end, every work queue is empty (visible, in flight,
   * delayed), no consumer is busy and no timer is due; throws SettleTimeoutError naming what is not.
   */
  settle(timeoutMs?: number): Promise<void>;
  /**
   * Moves the clock forward to `target`, firing every timer due on the way at its own instant;
   * `settle` (by default `settle()`) runs at each stop (a test redrives dead letters there).
   */
  advanceClock(target: Date, settle?: () => Promise<void>): Promise<Date>;
  stop(): Promise<void>;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const REGION = 'us-east-1';

const startSqs = async (): Promise<{ endpoint: string; stop: () => Promise<void> }> => {
  const { startFauxqs } = await import('fauxqs');
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  return { endpoint: server.address, stop: () => server.stop() };
};

const createQueues = async (
  sqs: SQSClient,
  prefix: string,
  visibilityTimeout: number,
): Promise<Record<Consumer, QueueInfo>> => {
  const entries = await Promise.all(
    CONSUMERS.map(async (consumer) => {
      const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}${consumer}-dlq` }));
      const dlqAttrs = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      const queue = await sqs.send(
        new CreateQueueCommand({
          QueueName: `${prefix}${consumer}`,
          Attributes: {
            VisibilityTimeout: String(visibilityTimeout),
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: dlqAttrs.Attributes?.QueueArn,
              maxReceiveCount: MAX_RECEIVE_COUNT,
            }),
          },
        }),
      );
      const attrs = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      return [
        consumer,
        { url: queue.QueueUrl ?? '', arn: attrs.Attributes?.QueueArn ?? '', dlqUrl: dlq.QueueUrl ?? '' },
      ] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<Consumer, QueueInfo>;
};

/**
 * Runs all of Heed on this machine with the same handler code as in AWS: DynamoDB Local (Java),
 * an SQS emulator, the local bus routing by the contracts' routing table, the outbox relay on the
 * table's stream, and the HTTP API. Everything binds to loopback.
 */
export const startRuntime = async (options: RuntimeOptions = {}): Promise<Runtime> => {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    stops.length = 0;
  };
  try {
    const clock = options.clock ?? new ScaledClock(1);
    const prefix = options.namePrefix ?? 'heed-';
    let dynamodbEndpoint = options.dynamodbEndpoint;
    if (!dynamodbEndpoint) {
      const ddb = await startDynamoDbLocal(options.dbPath ? { dbPath: options.dbPath } : {});
      stops.push(ddb.stop);
      dynamodbEndpoint = ddb.endpoint;
    }
    let sqsEndpoint = options.sqsEndpoint;
    if (!sqsEndpoint) {
      const sqs = await startSqs();
      stops.push(sqs.stop);
      sqsEndpoint = sqs.endpoint;
    }
    const counter = new CallCounter(options.traceCalls ?? false);
    const faults = options.faults ? new Faults(options.faults.plan, options.faults.seed) : null;
    // Faults are for what the services do once running: the runtime's own setup is spared.
    faults?.pause();
    const endpoints = { dynamodb: dynamodbEndpoint, sqs: sqsEndpoint };
    // Handlers' clients count their AWS calls; the plumbing that stands in for AWS itself (table
    // setup, rule delivery, event source polling) uses uncounted clients, as it costs nothing in AWS.
    const clients = createClients({
      region: REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoints,
      counter,
      maxSockets: 256,
      ...(faults && { faults }),
    });
    const plumbing = createClients({
      region: REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoints,
      maxSockets: 256,
    });
    // SQS delivers at least once: in the fault mode, messages sent by the stand-ins for AWS (rule
    // targets, timers, the sweeper) arrive more than once.
    if (faults) duplicateSends(plumbing.sqs, faults);
    stops.push(async () => {
      for (const c of [clients, plumbing]) {
        c.dynamodb.destroy();
        c.sqs.destroy();
      }
    });
    const tables: Record<TableName, string> = { tickets: `${prefix}tickets`, tenants: `${prefix}tenants` };
    await createTables(plumbing.dynamodb, tables);
    const queues = await createQueues(plumbing.sqs, prefix, options.visibilityTimeoutSeconds ?? 5);

    const metrics: MetricRecord[] = [];
    const unobserve = observeMetrics((m) => metrics.push(m));
    stops.push(async () => {
      unobserve();
    });

    // The local stand-in for the KMS key that seals webhook secrets: kept beside persisted data.
    const secretsKey =
      options.secretsKey ?? (options.dbPath ? localSecretsKey(options.dbPath) : randomBytes(32));
    const sealer = new LocalSealer(secretsKey);
    // The survey links' HMAC key: derived from the secrets key (a link stays valid across restarts).
    const localMac = new LocalMac(Buffer.from(hkdfSync('sha256', secretsKey, '', 'heed feedback links', 32)));
    // Counted as the KMS calls they stand for (the bench prices them).
    const mac: MacPort = {
      sign: (message) => {
        counter.record('KMS', 'GenerateMac', { KeyId: LOCAL_KEYS.feedback });
        return localMac.sign(message);
      },
      verify: (message, tag) => {
        counter.record('KMS', 'VerifyMac', { KeyId: LOCAL_KEYS.feedback });
        return localMac.verify(message, tag);
      },
    };
    let publicUrl = options.publicUrl ?? '';
    const tenants = new DynamoTenantStore(clients.documents, tables.tenants, sealer);
    const tickets = new DynamoTicketStore(clients.documents, tables.tickets);
    const bus = new LocalBus(
      plumbing.sqs,
      CONSUMERS.map((c) => ({ name: `${prefix}${c}`, pattern: eventPatternFor(c), queueUrl: queues[c].url })),
      counter,
      faults ? () => faults.refuseEvent() : undefined,
    );

    const streams = new DynamoDBStreamsClient({
      region: REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoint: dynamodbEndpoint,
    });
    /** A handler as Lambda runs it: each invocation is counted, and its AWS calls traced under its name. */
    const invoked =
      <E, R>(fn: LocalFunction, handler: Invocable<E, R>): Invocable<E, R> =>
      (event, context) => {
        counter.recordPlatform('Lambda invocation');
        return asFunction(fn, () => handler(event, context));
      };
    const relay = new StreamPoller(
      plumbing.dynamodb,
      streams,
      tables.tickets,
      OUTBOX_STREAM_FILTER,
      invoked('outbox-relay', createRelayHandler(bus)),
    );
    // The event source mapping reads the stream with the relay's role.
    for (const command of ['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams'])
      counter.trace('outbox-relay', 'DynamoDBStreams', command, { TableName: tables.tickets });
    await relay.start();
    stops.push(async () => {
      await relay.stop();
      streams.destroy();
    });

    const consumers: QueueConsumer[] = [];
    stops.push(async () => {
      await Promise.all(consumers.map((c) => c.stop()));
    });

    let devTenant = { id: options.devTenant?.id ?? 'dev', apiKey: null as string | null };
    if (options.devTenant) {
      try {
        const issued = await tenants.create(
          options.devTenant.id,
          'Development tenant',
          clock.now(),
          options.devTenant.apiKey,
        );
        devTenant = { id: issued.tenantId, apiKey: issued.apiKey };
      } catch (error) {
        if (!(error instanceof TenantExistsError)) throw error;
        // Persisted data from an earlier run: the given key still works if it was the one issued then.
        devTenant = { id: options.devTenant.id, apiKey: options.devTenant.apiKey ?? null };
      }
      if (options.webhook) {
        const config = validateTenantConfig({
          ...DEFAULT_TENANT_CONFIG,
          delivery: {
            ...DEFAULT_TENANT_CONFIG.delivery,
            webhooks: [{ url: options.webhook.url, secret: options.webhook.secret }],
          },
        });
        if (!config.ok)
          throw new Error(`webhook: ${config.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
        await tenants.putConfig(devTenant.id, config.value, clock.now());
      }
    }

    const deliveries = new DynamoDeliveryStore(clients.documents, tables.tickets);
    // A short cache, so that `npm run heed -- config push` takes effect at once locally.
    const configs = new CachedConfigSource(tenants, options.configCacheMs ?? 1000);
    const attach = (consumer: Consumer, handler: Invocable<SQSEvent, SQSBatchResponse | undefined>) => {
      const c = new QueueConsumer(
        plumbing.sqs,
        `${prefix}${consumer}`,
        queues[consumer].url,
        queues[consumer].arn,
        invoked(consumer, handler),
        4,
        counter,
      );
      // The event source mapping reads the queue with the consumer's role.
      for (const command of ['ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes'])
        counter.trace(consumer, 'SQS', command, { QueueUrl: queues[consumer].url });
      consumers.push(c);
      c.start();
      return c;
    };
    // Timers: a scheduler driven by the runtime's clock (EventBridge Scheduler has no emulator).
    const timers = new LocalTimers(
      plumbing.sqs,
      clock,
      { sla: queues.sla.url, followup: queues.followup.url },
      counter,
    );
    timers.start();
    stops.push(async () => timers.stop());
    // The services are composed as their Lambda handlers compose them, from the local stand-ins.
    const foundation: Foundation = {
      documents: clients.documents,
      ticketsTable: tables.tickets,
      tenantsTable: tables.tenants,
      clock,
      tenants,
      configs,
    };
    // The sweeper's safety net: at start (timers of persisted data) and every five real minutes.
    const sweepRun = composeSweep(
      foundation,
      new QueueTimerRedrive(clients.sqs, { sla: queues.sla.url, followup: queues.followup.url }),
    );
    // A failed sweep is tried again at the next one, as the deployed schedule would.
    const sweepOnce = () =>
      asFunction('sweeper', sweepRun).catch((error: unknown) =>
        logger.warn('local sweep failed; the next one retries', { error: errorSummary(error) }),
      );
    const sweeping = setInterval(() => void sweepOnce(), 5 * 60_000);
    stops.push(async () => clearInterval(sweeping));

    const starters: Record<Service, () => Promise<void> | void> = {
      sla: async () => {
        attach('sla', composeSla(foundation, timers));
        await sweepOnce();
      },
      followup: async () => {
        attach('followup', composeFollowUp(foundation, timers, { mac, publicUrl: () => publicUrl }));
        await sweepOnce();
      },
      acknowledger: () => {
        attach('acknowledger', composeAcknowledger(foundation));
      },
      notifier: () => {
        attach(
          'notifier',
          composeNotifier(foundation, {
            // Receivers run on this machine: plain http and loopback are fine here, and only here.
            poster: ((poster) => (faults ? faults.poster(poster) : poster))(
              options.poster ?? webhookPoster({ local: true }),
            ),
            secrets: new SecretOpener({
              seal: (plaintext, context) => sealer.seal(plaintext, context),
              open: (sealed, context) => {
                counter.record('KMS', 'Decrypt', { KeyId: LOCAL_KEYS.secrets, EncryptionContext: context });
                return sealer.open(sealed, context);
              },
            }),
            wallClock: systemClock,
            retry: new SqsBackoff(clients.sqs, queues.notifier.url, options.retryBaseSeconds ?? 1),
          }),
        );
      },
    };
    const started = new Set<Service>();
    const startService = async (service: Service) => {
      if (started.has(service)) return;
      started.add(service);
      await starters[service]();
    };
    for (const service of options.services ?? SERVICES) await startService(service);

    const intake = composeIntake(foundation, sealer, systemClock);
    const reports = composeReports(foundation);
    const settleAll = (timeoutMs = 30_000) =>
      settle(
        {
          sqs: plumbing.sqs,
          // Queues nobody consumes (a test that runs only some services) are not work in progress.
          queueUrls: () => consumers.map((c) => c.queueUrl),
          relay,
          workers: () => consumers,
          quiet: () => !timers.busy,
        },
        timeoutMs,
      );
    const advance = (target: Date, settleStep?: () => Promise<void>) =>
      advanceClock(clock, timers, settleStep ?? (() => settleAll(120_000)), target);
    const feedback = composeFeedback(foundation, mac);
    const feedbackRoutes: readonly string[] = Object.values(FEEDBACK_ROUTE_KEYS);
    const reportRoutes: readonly string[] = Object.values(REPORT_ROUTE_KEYS);
    // One HTTP API, two functions (as deployed): the survey pages are public, the rest needs a key.
    const served: Invocable<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> = (event, context) => {
      counter.recordPlatform('API Gateway request');
      if (reportRoutes.includes(event.routeKey)) return invoked('reports', reports)(event, context);
      return feedbackRoutes.includes(event.routeKey)
        ? invoked('feedback', feedback)(event, context)
        : invoked('intake', intake)(event, context);
    };
    const api = process.env.HEED_CHECK_ANSWERS === '1' ? checkedAnswers(served) : served;
    const http = await startHttpApi([...Object.values(ROUTE_KEYS), ...feedbackRoutes, ...reportRoutes], api, {
      port: options.port ?? 3000,
      local: {
        'GET /local/clock': async () => ({
          status: 200,
          body: { now: clock.now().toISOString(), speed: clock.speed },
        }),
        'POST /local/clock': async (body, { contentType }) => clockRoute(body, contentType, clock, advance),
        'GET /local/faults': async () => ({
          status: 200,
          body: faults
            ? { injected: faults.injected, plan: faults.plan, seed: faults.seed }
            : { injected: {}, plan: null },
        }),
      },
    });
    publicUrl ||= http.url;
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          http.server.closeAllConnections();
          http.server.close(() => resolve());
        }),
    );

    faults?.resume();
    return {
      url: http.url,
      clock,
      counter,
      clients,
      tables,
      queues,
      dynamodbEndpoint,
      sqsEndpoint,
      secretsKey,
      bus,
      tenants,
      tickets,
      deliveries,
      relay,
      metrics,
      faults,
      devTenant,
      consume: attach,
      startService,
      timers,
      settle: settleAll,
      advanceClock: advance,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
