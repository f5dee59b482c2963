import './local-env';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  type AwsClients,
  createClients,
  type DeadLetter,
  DynamoTenantStore,
  ENV,
  EventBridgePublisher,
  type EventPublisher,
  KmsSealer,
  LocalSealer,
  listDeadLetters,
  queueDepth,
  redriveDeadLetters,
  redriveOutbox,
} from '@heed/aws';
import { CONSUMERS, eventPatternFor, type TenantConfig } from '@heed/contracts';
import { validateTenantConfig } from '@heed/core';
import { parse as parseYaml } from 'yaml';
import { LocalBus } from './local-bus';
import { type RuntimeState, readState } from './state-file';

const usage = `npm run heed -- <command>

  tenant create <tenant> [--name "Acme Inc."]   create a tenant and issue its first API key
  keys list <tenant>                            list key ids and status (never the keys)
  keys issue <tenant>                           issue a second key (at most two are active)
  keys rotate <tenant>                          issue a new key; revokes the oldest if two are active
  keys revoke <tenant> <keyId>                  revoke one key
  config validate <file>                        check a tenant configuration (YAML or JSON)
  config push <tenant> <file>                   validate and store it for the tenant
  config show <tenant>                          print the tenant's configuration (secrets masked)
  dlq list [<consumer>] [--max n]               list what is in the dead-letter queues (ids only; first 100)
  dlq redrive <consumer> [--max n]              move dead letters back to the consumer's queue
  outbox redrive --tenant <t> --ticket <id>     re-publish every domain event of a ticket
  outbox redrive --tenant <t> --from <ISO> --to <ISO>
                                                re-publish a tenant's domain events recorded in
                                                [from, to), at most 31 days (after an outage;
                                                consumers dedupe)

Target: the running local runtime (npm start; --port when several run) by default. For a
deployed stack pass --table <TenantsTableName output> (or set ${ENV.tenantsTable}) for tenants,
keys and config (config push also --kms-key <SecretsKeyArn output>, or ${ENV.secretsKey}: webhook
secrets are stored sealed with it), --queue-url <DLQ URL> [--to <queue URL>] for dlq (the HeedMessaging stack
outputs them), --tickets-table <name> --bus <name> for outbox (HeedIntake outputs), with your
usual AWS credentials and --region.`;

const fail = (message: string): never => {
  console.error(`heed: ${message}`);
  process.exit(1);
};

const parsed = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        table: { type: 'string' },
        region: { type: 'string' },
        port: { type: 'string' },
        max: { type: 'string' },
        'queue-url': { type: 'string' },
        to: { type: 'string' },
        from: { type: 'string' },
        tenant: { type: 'string' },
        ticket: { type: 'string' },
        bus: { type: 'string' },
        'tickets-table': { type: 'string' },
        'kms-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // An unknown flag, or a flag without its value: say which, without a stack trace.
    return fail(`${(error as Error).message} (see npm run heed -- --help)`);
  }
})();
const { values, positionals } = parsed;

if (values.help || positionals.length === 0) {
  console.log(usage);
  process.exit(0);
}

const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/** The running local runtime, or a clear message to start one. */
const local = (): RuntimeState => {
  try {
    const state = readState(values.port === undefined ? undefined : Number(values.port));
    if (state) return state;
  } catch (error) {
    return fail((error as Error).message);
  }
  return fail('no local runtime is running (start it with npm start); for AWS pass --table / --queue-url');
};

const localClients = (state: RuntimeState): AwsClients =>
  createClients({ ...LOCAL, endpoints: { dynamodb: state.dynamodbEndpoint, sqs: state.sqsEndpoint } });

const tenantStore = (): DynamoTenantStore => {
  const table = values.table ?? process.env[ENV.tenantsTable];
  if (table) {
    const clients = createClients(values.region ? { region: values.region } : {});
    const kms = new KMSClient(values.region ? { region: values.region } : {});
    return new DynamoTenantStore(
      clients.documents,
      table,
      new KmsSealer(kms, values['kms-key'] ?? process.env[ENV.secretsKey]),
    );
  }
  const state = local();
  return new DynamoTenantStore(
    localClients(state).documents,
    state.tables.tenants,
    new LocalSealer(Buffer.from(state.secretsKey, 'base64')),
  );
};

/** Dead-letter queues to work on: one given by URL (AWS), or the local runtime's by consumer. */
const deadLetterQueues = (
  consumer: string | undefined,
): { sqs: SQSClient; queues: { name: string; dlqUrl: string; url: string | undefined }[] } => {
  if (values['queue-url']) {
    return {
      sqs: new SQSClient(values.region ? { region: values.region } : {}),
      queues: [{ name: values['queue-url'], dlqUrl: values['queue-url'], url: values.to }],
    };
  }
  const state = local();
  const all = Object.entries(state.queues).map(([name, q]) => ({ name, dlqUrl: q.dlqUrl, url: q.url }));
  const chosen = consumer ? all.filter((q) => q.name === consumer) : all;
  if (chosen.length === 0) fail(`no consumer ${consumer}; one of ${all.map((q) => q.name).join(', ')}`);
  return { sqs: localClients(state).sqs, queues: chosen };
};

const showDeadLetters = (name: string, letters: readonly DeadLetter[]) => {
  console.log(`${name}: ${letters.length} message${letters.length === 1 ? '' : 's'}`);
  for (const l of letters)
    console.log(
      `  ${l.messageId}  sent ${l.sentAt ?? '?'}  received ${l.receiveCount}×  ${l.detailType ?? '?'}  ${l.tenantId ?? '?'}/${l.ticketId ?? '?'}  ${l.eventId ?? ''}`,
    );
};

/** `--max n`: a whole number from 1 on, or the default; anything else is an error, never "nothing moved". */
const maxOf = (fallback: number): number => {
  if (values.max === undefined) return fallback;
  const n = Number(values.max);
  if (!Number.isSafeInteger(n) || n < 1)
    return fail(`--max must be a whole number of at least 1, got ${values.max}`);
  return n;
};

/** A redrive window is at most this long: a month of outbox items is already a big replay. */
const MAX_REDRIVE_DAYS = 31;

const instant = (flag: string, value: string | undefined): Date => {
  const date = new Date(value ?? '');
  if (!value || Number.isNaN(date.getTime())) return fail(`${flag} <ISO instant> is required (or --ticket)`);
  return date;
};

/** Where outbox redrive reads (the tickets table) and publishes (the bus): AWS, or the local runtime. */
const outboxTarget = (): { documents: AwsClients['documents']; table: string; publisher: EventPublisher } => {
  if (values.bus || values['tickets-table']) {
    if (!values.bus || !values['tickets-table']) return fail('pass both --tickets-table and --bus');
    const clients = createClients(values.region ? { region: values.region } : {});
    return {
      documents: clients.documents,
      table: values['tickets-table'],
      publisher: new EventBridgePublisher(clients.eventbridge, values.bus),
    };
  }
  const state = local();
  const clients = localClients(state);
  const rules = CONSUMERS.flatMap((c) => {
    const queue = state.queues[c];
    return queue ? [{ name: c, pattern: eventPatternFor(c), queueUrl: queue.url }] : [];
  });
  return {
    documents: clients.documents,
    table: state.tables.tickets,
    publisher: new LocalBus(clients.sqs, rules),
  };
};

const showKey = (tenantId: string, keyId: string, apiKey: string) => {
  console.log(
    `tenant  ${tenantId}\nkey id  ${keyId}\nAPI key ${apiKey}\n\nThis key is shown once and stored only as a hash: keep it now.`,
  );
};

/** Reads a YAML or JSON configuration file and validates it, naming every problem. */
const loadConfig = (file: string): TenantConfig => {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`${file}: ${(error as Error).message}`);
  }
  const result = validateTenantConfig(raw);
  if (!result.ok)
    return fail(
      `${file} is not a valid configuration:\n${result.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    );
  return result.value;
};

const masked = (config: TenantConfig): TenantConfig => ({
  ...config,
  delivery: {
    ...config.delivery,
    webhooks: config.delivery.webhooks.map((w) => ({ ...w, secret: `${w.secret.slice(0, 7)}… (sealed)` })),
  },
});

const [group, action, first, second] = positionals;
const command = `${group} ${action}`;
const now = new Date();
try {
  if (command === 'tenant create' && first) {
    const issued = await tenantStore().create(first, values.name ?? first, now);
    showKey(issued.tenantId, issued.keyId, issued.apiKey);
  } else if (command === 'keys list' && first) {
    for (const k of await tenantStore().listKeys(first)) {
      console.log(
        `${k.keyId}  ${k.status.padEnd(7)}  created ${k.createdAt}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}`,
      );
    }
  } else if (command === 'keys issue' && first) {
    const issued = await tenantStore().issueKey(first, now);
    showKey(issued.tenantId, issued.keyId, issued.apiKey);
  } else if (command === 'keys rotate' && first) {
    const { issued, revoked } = await tenantStore().rotate(first, now);
    showKey(issued.tenantId, issued.keyId, issued.apiKey);
    if (revoked) console.log(`revoked the oldest key ${revoked}`);
  } else if (command === 'keys revoke' && first && second) {
    await tenantStore().revoke(first, second, now);
    console.log(`revoked ${second}`);
  } else if (command === 'config validate' && first) {
    const config = loadConfig(first);
    console.log(
      `${first} is valid: ${config.sla.rules.length} SLA rules, ${Object.keys(config.calendars).length} calendars, ${config.delivery.webhooks.length} webhooks`,
    );
  } else if (command === 'config push' && first && second) {
    const config = loadConfig(second);
    await tenantStore().putConfig(first, config, now);
    console.log(`stored the configuration of ${first} (services pick it up within a minute)`);
  } else if (command === 'config show' && first) {
    console.log(JSON.stringify(masked(await tenantStore().configOf(first)), null, 2));
  } else if (command === 'dlq list') {
    const { sqs, queues } = deadLetterQueues(first);
    const max = maxOf(100);
    for (const q of queues) {
      const letters = await listDeadLetters(sqs, q.dlqUrl, max);
      showDeadLetters(q.name, letters);
      const total = await queueDepth(sqs, q.dlqUrl);
      if (total > letters.length)
        console.log(
          `  … about ${total - letters.length} more: pass --max ${Math.max(total, max + 1)} to list them`,
        );
    }
  } else if (command === 'dlq redrive' && (first || values['queue-url'])) {
    const { sqs, queues } = deadLetterQueues(first);
    for (const q of queues) {
      if (!q.url) fail('pass --to <queue URL>: where the dead letters go back to');
      const moved = await redriveDeadLetters(sqs, q.dlqUrl, q.url as string, maxOf(Number.POSITIVE_INFINITY));
      showDeadLetters(`moved back to ${q.name}`, moved);
    }
  } else if (command === 'outbox redrive' && values.tenant) {
    const window = values.ticket
      ? null
      : { from: instant('--from', values.from), to: instant('--to', values.to) };
    const scope = window
      ? { tenantId: values.tenant, ...window }
      : { tenantId: values.tenant, ticketId: values.ticket as string };
    if (window) {
      const days = (window.to.getTime() - window.from.getTime()) / 86_400_000;
      if (days <= 0) fail('--from must be before --to');
      if (days > MAX_REDRIVE_DAYS)
        fail(
          `a redrive window is at most ${MAX_REDRIVE_DAYS} days (this one is ${Math.ceil(days)}); run one per month`,
        );
    }
    const { documents, table, publisher } = outboxTarget();
    const { published, refused } = await redriveOutbox(documents, table, scope, publisher);
    console.log(
      `re-published ${published} domain events${refused ? `; the bus refused ${refused} (run again)` : ''}`,
    );
    if (refused > 0) process.exitCode = 1;
  } else {
    fail(`unknown command: ${positionals.join(' ')}\n\n${usage}`);
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
