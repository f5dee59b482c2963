import './local-env';
import { randomBytes, randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ManualClock, parseApiKey } from '@heed/core';
import { type FaultPlan, parseFaultPlan } from './faults';
import { startRuntime } from './runtime';
import { ScaledClock } from './scaled-clock';
import { clearState, writeState } from './state-file';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'clock-speed': { type: 'string' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`npm start [-- --port 3000] [--clock-speed 1] [--data-dir .heed/data]

Environment: HEED_PORT, HEED_CLOCK_SPEED (0: the clock moves only by POST /local/clock),
HEED_CLOCK_START (an ISO instant to start the clock at), HEED_DATA_DIR, HEED_DEV_API_KEY (heed_<tenant>_<32+ chars>),
HEED_DEV_TENANT (default dev), HEED_WEBHOOK_URL and HEED_WEBHOOK_SECRET (where the dev tenant's
messages are delivered), HEED_PUBLIC_URL (base URL survey links point at; default this server),
HEED_LOG_LEVEL (default WARN), HEED_FAULTS (e.g. duplicate=3,ddb-error=0.1,ddb-lost-reply=0.05,
bus-error=0.1,webhook-error=0.3) and HEED_FAULTS_SEED (the fault mode).`);
  process.exit(0);
}

const fail = (message: string): never => {
  console.error(`heed: ${message}`);
  process.exit(1);
};

const port = Number(values.port ?? process.env.HEED_PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`HEED_PORT must be a port number, got ${port}`);
const speed = Number(values['clock-speed'] ?? process.env.HEED_CLOCK_SPEED ?? 1);
if (!(speed >= 0)) fail(`HEED_CLOCK_SPEED must be a number >= 0, got ${speed}`);
const clockStart = process.env.HEED_CLOCK_START ? new Date(process.env.HEED_CLOCK_START) : new Date();
if (Number.isNaN(clockStart.getTime()))
  fail(`HEED_CLOCK_START must be an ISO instant, got ${process.env.HEED_CLOCK_START}`);
// Speed 0: a stopped clock that only POST /local/clock moves (a week of SLA in a minute).
const clock = speed === 0 ? new ManualClock(clockStart) : new ScaledClock(speed, clockStart);
const devKey = process.env.HEED_DEV_API_KEY;
const parsedKey = devKey ? parseApiKey(devKey) : null;
if (devKey && !parsedKey)
  fail('HEED_DEV_API_KEY must look like heed_<tenant>_<at least 32 of A-Z a-z 0-9 _ ->');
const tenantId = parsedKey?.tenantId ?? process.env.HEED_DEV_TENANT ?? 'dev';
const dataDir = values['data-dir'] ?? process.env.HEED_DATA_DIR;
const webhookUrl = process.env.HEED_WEBHOOK_URL;
const givenSecret = process.env.HEED_WEBHOOK_SECRET;
const webhookSecret = givenSecret ?? randomBytes(24).toString('base64url');
if (webhookSecret.length < 16) fail('HEED_WEBHOOK_SECRET must be at least 16 characters');

// The fault mode: failures injected on purpose (see faults.ts), seeded so a run can be repeated.
const faultText = process.env.HEED_FAULTS;
let faults: { plan: FaultPlan; seed: number } | undefined;
if (faultText) {
  const seed = Number(process.env.HEED_FAULTS_SEED ?? randomInt(2 ** 31));
  if (!Number.isSafeInteger(seed))
    fail(`HEED_FAULTS_SEED must be a whole number, got ${process.env.HEED_FAULTS_SEED}`);
  try {
    faults = { plan: parseFaultPlan(faultText), seed };
  } catch (error) {
    fail((error as Error).message);
  }
}

const runtime = await startRuntime({
  ...(faults && { faults }),
  port,
  clock,
  ...(dataDir && { dbPath: dataDir }),
  devTenant: { id: tenantId, ...(devKey && { apiKey: devKey }) },
  ...(webhookUrl && { webhook: { url: webhookUrl, secret: webhookSecret } }),
  ...(process.env.HEED_PUBLIC_URL && { publicUrl: process.env.HEED_PUBLIC_URL }),
}).catch((error: Error) => fail(`could not start: ${error.message}`));

const boundPort = Number(new URL(runtime.url).port);
writeState({
  pid: process.pid,
  port: boundPort,
  url: runtime.url,
  dynamodbEndpoint: runtime.dynamodbEndpoint,
  sqsEndpoint: runtime.sqsEndpoint,
  secretsKey: runtime.secretsKey.toString('base64'),
  tables: runtime.tables,
  queues: Object.fromEntries(
    Object.entries(runtime.queues).map(([c, q]) => [c, { url: q.url, dlqUrl: q.dlqUrl }]),
  ),
});
const key =
  runtime.devTenant.apiKey ??
  '<the key issued when this data dir was created; `npm run heed -- keys rotate ' +
    tenantId +
    '` issues a new one>';
console.log(`
Heed is running locally.

  API        ${runtime.url}
  tenant     ${runtime.devTenant.id}
  API key    ${key}
  clock      ${clock.now().toISOString()}, ${speed === 0 ? 'stopped: move it with POST /local/clock' : `${speed}x real time`}${dataDir ? `\n  data       ${dataDir}` : ' (in-memory data)'}
  faults     ${faults ? `${faultText} (seed ${faults.seed}; GET ${'/local/faults'} counts them)` : 'none (HEED_FAULTS injects some)'}
  webhook    ${
    webhookUrl
      ? `${webhookUrl} (signing secret ${givenSecret ? 'from HEED_WEBHOOK_SECRET' : `${webhookSecret}, generated: set HEED_WEBHOOK_SECRET to choose it`})`
      : 'none: set HEED_WEBHOOK_URL to receive acknowledgements'
  }

Try:
  curl -s -X POST ${runtime.url}/v1/events \\
    -H "Authorization: Bearer ${key}" -H 'content-type: application/json' \\
    -d '{"id":"evt-1","type":"ticket.opened","ticketId":"T-1","occurredAt":"${clock.now().toISOString()}","data":{"channel":"email","priority":"high","subject":"Order never arrived","customer":{"id":"c-1","name":"Aiko","locale":"ja-JP","timeZone":"Asia/Tokyo"}}}'
  curl -s ${runtime.url}/v1/tickets/T-1 -H "Authorization: Bearer ${key}"
  curl -s -X POST ${runtime.url}/local/clock -H 'content-type: application/json' -d '{"advanceMinutes":240}'   # time passes

Ctrl-C stops everything.
`);

/** Ctrl-C ends the process within this long, whatever is still in flight. */
const STOP_DEADLINE_MS = 4_000;
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping Heed…`);
  // Exiting closes the pipe that keeps DynamoDB Local alive, so Java goes with us either way.
  setTimeout(() => {
    console.error(`heed: not stopped within ${STOP_DEADLINE_MS / 1000} s; exiting anyway`);
    clearState(boundPort);
    process.exit(1);
  }, STOP_DEADLINE_MS).unref();
  await runtime.stop();
  if (runtime.faults) console.log(`faults injected: ${runtime.faults.summary()}`);
  clearState(boundPort);
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
