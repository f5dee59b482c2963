import './local-env';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { runReport, type WhatIfReport as WhatIf } from '@heed/app';
import {
  type AwsClients,
  ConnectorNotFoundError,
  createClients,
  type DeadLetter,
  DynamoConnectorStore,
  DynamoReportSource,
  DynamoTenantStore,
  ENV,
  EventBridgePublisher,
  type EventPublisher,
  eraseCustomer,
  KmsSealer,
  LocalSealer,
  listDeadLetters,
  queueDepth,
  redriveDeadLetters,
  redriveOutbox,
  reindexOpened,
  type SecretSealer,
  withFirstFailures,
} from '@heed/aws';
import { s3FailedRecords } from '@heed/aws/failed-records-s3';
import { runOnEngine } from '@heed/aws/report-engine-client';
import {
  CLOCK_KINDS,
  CONSUMERS,
  eventPatternFor,
  parseReportQuery,
  SEALED_WEBHOOK_FIELDS,
  type TenantConfig,
} from '@heed/contracts';
import {
  CONNECTOR_PROVIDERS,
  type ConnectorProvider,
  reportCsv,
  reportHtml,
  reportTable,
  type SlaReport,
  validateTenantConfig,
  webhookId,
} from '@heed/core';
import { newWebhookSecret } from '@heed/notifier';
import { parse as parseYaml } from 'yaml';
import { LocalBus } from './local-bus';
import { type RuntimeState, readState } from './state-file';

const TARGET = `Target: the running local runtime (npm start; --port when several run) by default. For a
deployed stack pass --table <TenantsTableName output> (or set ${ENV.tenantsTable}) for tenants,
keys and config (config push also --kms-key <SecretsKeyArn output>, or ${ENV.secretsKey}: webhook
secrets are stored sealed with it), --queue-url <DLQ URL> [--to <queue URL>] for dlq (the HeedMessaging stack
outputs them), --tickets-table <name> --bus <name> for outbox (HeedIntake outputs), with your
usual AWS credentials and --region. Reports run in this process (with --tickets-table in AWS) or on
the report engine: --state-machine <ReportStateMachineArn> --reports-bucket <ReportsBucketName>
(HeedReports outputs). Every command takes --help; list commands take --json.`;

const fail = (message: string, code = 1): never => {
  console.error(`heed: ${message}`);
  process.exit(code);
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
        'failure-bucket': { type: 'string' },
        'keep-hours': { type: 'string' },
        secret: { type: 'string' },
        'api-url': { type: 'string' },
        by: { type: 'string' },
        'state-machine': { type: 'string' },
        'reports-bucket': { type: 'string' },
        format: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // An unknown flag, or a flag without its value: say which, without a stack trace.
    return fail(`${(error as Error).message} (see npm run heed -- --help)`, 2);
  }
})();
const { values, positionals } = parsed;

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

/** The tenants table and the sealer of its secrets: in AWS with --table (and --kms-key to seal), else the local runtime's. */
const tenantsTable = (): {
  documents: AwsClients['documents'];
  table: string;
  sealer: SecretSealer;
  apiUrl?: string;
} => {
  const table = values.table ?? process.env[ENV.tenantsTable];
  if (table) {
    const clients = createClients(values.region ? { region: values.region } : {});
    const kms = new KMSClient(values.region ? { region: values.region } : {});
    return {
      documents: clients.documents,
      table,
      sealer: new KmsSealer(kms, values['kms-key'] ?? process.env[ENV.secretsKey]),
      ...(values['api-url'] && { apiUrl: values['api-url'] }),
    };
  }
  const state = local();
  return {
    documents: localClients(state).documents,
    table: state.tables.tenants,
    sealer: new LocalSealer(Buffer.from(state.secretsKey, 'base64')),
    apiUrl: values['api-url'] ?? state.url,
  };
};

const tenantStore = (): DynamoTenantStore => {
  const { documents, table, sealer } = tenantsTable();
  return new DynamoTenantStore(documents, table, sealer);
};

/** Dead-letter queues to work on: one given by URL (AWS), or the local runtime's by consumer. */
const deadLetterQueues = (
  consumer: string | undefined,
): {
  sqs: SQSClient;
  queues: { name: string; dlqUrl: string; url: string | undefined }[];
  /** Where the consumers recorded their failures (with --tickets-table in AWS). */
  failures: { documents: AwsClients['documents']; table: string } | null;
} => {
  if (values['queue-url']) {
    return {
      sqs: new SQSClient(values.region ? { region: values.region } : {}),
      queues: [{ name: consumer ?? values['queue-url'], dlqUrl: values['queue-url'], url: values.to }],
      failures: values['tickets-table'] ? ticketsTable() : null,
    };
  }
  const state = local();
  const all = Object.entries(state.queues).map(([name, q]) => ({ name, dlqUrl: q.dlqUrl, url: q.url }));
  const chosen = consumer ? all.filter((q) => q.name === consumer) : all;
  if (chosen.length === 0) fail(`no consumer ${consumer}; one of ${all.map((q) => q.name).join(', ')}`);
  const clients = localClients(state);
  return {
    sqs: clients.sqs,
    queues: chosen,
    failures: { documents: clients.documents, table: state.tables.tickets },
  };
};

/** Rows as aligned columns (the first row is the header). */
const printTable = (rows: readonly (readonly string[])[], indent = ''): void => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const r of rows)
    console.log(`${indent}${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd());
};

const showDeadLetters = (name: string, letters: readonly DeadLetter[]) => {
  console.log(`${name}: ${letters.length} message${letters.length === 1 ? '' : 's'}`);
  if (letters.length === 0) return;
  printTable(
    [
      ['message id', 'sent', 'receives', 'type', 'ticket', 'event', 'first failure'],
      ...letters.map((l) => [
        l.messageId,
        l.sentAt ?? '?',
        String(l.receiveCount),
        l.detailType ?? '?',
        `${l.tenantId ?? '?'}/${l.ticketId ?? '?'}`,
        l.eventId ?? '',
        l.firstFailure ?? '',
      ]),
    ],
    '  ',
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

/** The tickets table: a deployed one (--tickets-table), or the local runtime's. */
const ticketsTable = (): { documents: AwsClients['documents']; table: string } => {
  const table = values['tickets-table'];
  if (table)
    return { documents: createClients(values.region ? { region: values.region } : {}).documents, table };
  const state = local();
  return { documents: localClients(state).documents, table: state.tables.tickets };
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

const maskedSecret = (secret: string) => `${secret.slice(0, 7)}… (sealed)`;

const masked = (config: TenantConfig): TenantConfig => ({
  ...config,
  delivery: {
    ...config.delivery,
    webhooks: config.delivery.webhooks.map((w) => ({
      ...w,
      ...Object.fromEntries(
        SEALED_WEBHOOK_FIELDS.flatMap((field) => {
          const value = w[field];
          return value ? [[field, maskedSecret(value)]] : [];
        }),
      ),
      ...(w.previousSecret && {
        previousSecret: { ...w.previousSecret, secret: maskedSecret(w.previousSecret.secret) },
      }),
    })),
  },
});

/** A command: its words, its arguments (`[name]` optional), what it does, and how. */
interface Command {
  readonly words: string;
  readonly args: readonly string[];
  readonly flags?: string;
  readonly summary: string;
  readonly run: (args: Readonly<Record<string, string | undefined>>) => Promise<void>;
}

const now = new Date();
const json = values.json === true;
const print = (value: unknown, human: () => void) =>
  json ? console.log(JSON.stringify(value, null, 2)) : human();

/** The tenant a command names must exist: `keys list nosuch` is an error, not an empty list. */
const existingTenant = async (
  tenantId: string | undefined,
): Promise<{ store: DynamoTenantStore; tenantId: string }> => {
  const store = tenantStore();
  const id = tenantId as string;
  if (!(await store.exists(id)))
    fail(`no tenant ${id} (create it with: npm run heed -- tenant create ${id})`);
  return { store, tenantId: id };
};

const showIssued = (issued: { tenantId: string; keyId: string; apiKey: string }) =>
  print(issued, () => showKey(issued.tenantId, issued.keyId, issued.apiKey));

const REPORT_FORMATS = ['table', 'csv', 'json', 'html'] as const;
const reportFormat = (): (typeof REPORT_FORMATS)[number] => {
  const format = values.json ? 'json' : (values.format ?? 'table');
  if (!(REPORT_FORMATS as readonly string[]).includes(format))
    fail(`--format must be one of ${REPORT_FORMATS.join(', ')}, got ${format}`, 2);
  return format as (typeof REPORT_FORMATS)[number];
};

/** Heed's clock: the local runtime's (it may be steered), or this machine's against AWS. */
const heedNow = async (): Promise<Date> => {
  if (values['tickets-table']) return now;
  const res = await fetch(`${local().url}/local/clock`);
  return new Date(((await res.json()) as { now: string }).now);
};

/**
 * The report of a tenant's period, and with a proposed configuration its what-if: in this process
 * (the local runtime, or AWS with --tickets-table), or on the deployed Step Functions engine
 * (--state-machine, --reports-bucket) for periods of any size.
 */
const slaReport = async (
  proposed?: TenantConfig,
): Promise<{ report: SlaReport; whatIf: WhatIf | null; tickets: number }> => {
  if (!values.tenant) fail('pass --tenant <tenant>', 2);
  const { store, tenantId } = await existingTenant(values.tenant as string);
  const engine = values['state-machine'];
  const at = engine ? now : await heedNow();
  const query = parseReportQuery({ from: values.from, to: values.to, by: values.by }, at);
  if (!query.ok) return fail(query.issues.map((i) => `--${i.path} ${i.message}`).join('\n'), 2);
  if (engine) {
    const bucket =
      values['reports-bucket'] ?? fail('pass --reports-bucket <ReportsBucketName> with --state-machine', 2);
    const region = values.region ? { region: values.region } : {};
    const answer = await runOnEngine(new SFNClient(region), new S3Client(region), {
      stateMachineArn: engine,
      bucket,
      run: `heed-report-${now
        .toISOString()
        .replace(/[^0-9]/g, '')
        .slice(0, 14)}-${randomBytes(3).toString('hex')}`,
      input: {
        task: 'plan',
        tenantId,
        from: query.value.from.toISOString(),
        to: query.value.to.toISOString(),
        by: query.value.by.join(','),
        ...(proposed && { proposed }),
      },
      wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
    const whatIf = proposed ? (answer as WhatIf) : null;
    return {
      report: whatIf ? whatIf.before : (answer as SlaReport),
      whatIf,
      tickets: (whatIf?.before ?? (answer as SlaReport)).groups[0]?.tickets ?? 0,
    };
  }
  const { documents, table } = ticketsTable();
  return runReport(new DynamoReportSource(documents, table), {
    tenantId,
    ...query.value,
    now: at,
    config: await store.configOf(tenantId),
    ...(proposed && { proposed }),
  });
};

const emitReport = (report: SlaReport, tickets: number): void => {
  const format = reportFormat();
  if (format === 'json') console.log(JSON.stringify(report, null, 2));
  else if (format === 'csv') process.stdout.write(reportCsv(report));
  else if (format === 'html') process.stdout.write(reportHtml(report));
  else process.stdout.write(`${tickets} tickets · ${reportTable(report)}`);
};

/** Where to paste the URL and secret in each product. */
const CONNECTOR_HINTS: Readonly<Record<ConnectorProvider, string>> = {
  chatwoot:
    "In Chatwoot: Settings → Integrations → Webhooks → Add new webhook with this URL (events: conversation created, conversation status changed, message created). Chatwoot makes its own signing secret: add the connector again with --secret <Chatwoot's secret>, and remove this one.",
  helpscout:
    'In Help Scout: Manage → Apps → Webhooks with this URL and this secret key (events: conversation created, customer reply, agent reply, note created, status updated, assigned).',
  zendesk:
    "In Zendesk: Admin Center → Apps and integrations → Webhooks → Create webhook → Zendesk events (ticket created, comment added, status changed, priority changed, agent and group assignment changed) with this URL. Zendesk makes its own signing secret: add the connector again with --secret <Zendesk's signing secret>, and remove this one.",
};

const COMMANDS: readonly Command[] = [
  {
    words: 'tenant create',
    args: ['tenant'],
    flags: '[--name "Acme Inc."]',
    summary: 'create a tenant and issue its first API key',
    run: async ({ tenant }) =>
      showIssued(await tenantStore().create(tenant as string, values.name ?? (tenant as string), now)),
  },
  {
    words: 'keys list',
    args: ['tenant'],
    summary: 'list key ids and status (never the keys)',
    run: async ({ tenant }) => {
      const { store, tenantId } = await existingTenant(tenant);
      const keys = await store.listKeys(tenantId);
      print(keys, () =>
        printTable([
          ['key id', 'status', 'created', 'revoked'],
          ...keys.map((k) => [k.keyId, k.status, k.createdAt, k.revokedAt ?? '']),
        ]),
      );
    },
  },
  {
    words: 'keys issue',
    args: ['tenant'],
    summary: 'issue a second key (at most two are active)',
    run: async ({ tenant }) => {
      const { store, tenantId } = await existingTenant(tenant);
      showIssued(await store.issueKey(tenantId, now));
    },
  },
  {
    words: 'keys rotate',
    args: ['tenant'],
    summary: 'issue a new key; revokes the oldest if two are active',
    run: async ({ tenant }) => {
      const { store, tenantId } = await existingTenant(tenant);
      const { issued, revoked } = await store.rotate(tenantId, now);
      print({ ...issued, revoked }, () => {
        showKey(issued.tenantId, issued.keyId, issued.apiKey);
        if (revoked) console.log(`revoked the oldest key ${revoked}`);
      });
    },
  },
  {
    words: 'keys revoke',
    args: ['tenant', 'keyId'],
    summary: 'revoke one key',
    run: async ({ tenant, keyId }) => {
      const { store, tenantId } = await existingTenant(tenant);
      await store.revoke(tenantId, keyId as string, now);
      print({ revoked: keyId }, () => console.log(`revoked ${keyId}`));
    },
  },
  {
    words: 'config validate',
    args: ['file'],
    summary: 'check a tenant configuration (YAML or JSON), naming every problem',
    run: async ({ file }) => {
      const config = loadConfig(file as string);
      const summary = {
        file,
        valid: true,
        rules: config.sla.rules.length,
        calendars: Object.keys(config.calendars).length,
        webhooks: config.delivery.webhooks.length,
      };
      print(summary, () =>
        console.log(
          `${file} is valid: ${summary.rules} SLA rules, ${summary.calendars} calendars, ${summary.webhooks} webhooks`,
        ),
      );
    },
  },
  {
    words: 'config push',
    args: ['tenant', 'file'],
    summary: 'validate and store it for the tenant',
    run: async ({ tenant, file }) => {
      const config = loadConfig(file as string);
      const { store, tenantId } = await existingTenant(tenant);
      await store.putConfig(tenantId, config, now);
      print({ stored: tenantId }, () =>
        console.log(`stored the configuration of ${tenantId} (services pick it up within a minute)`),
      );
    },
  },
  {
    words: 'config show',
    args: ['tenant'],
    summary: "print the tenant's configuration (secrets masked)",
    run: async ({ tenant }) => {
      const { store, tenantId } = await existingTenant(tenant);
      console.log(JSON.stringify(masked(await store.configOf(tenantId)), null, 2));
    },
  },
  {
    words: 'webhook rotate',
    args: ['tenant', 'webhookId'],
    flags: '[--keep-hours 24]',
    summary: 'give a webhook a new secret; the old one signs beside it until --keep-hours have passed',
    run: async ({ tenant, webhookId: id }) => {
      const { store, tenantId } = await existingTenant(tenant);
      const config = await store.configOf(tenantId);
      const hook = config.delivery.webhooks.find((w) => webhookId(w) === id);
      if (!hook)
        fail(
          `no webhook ${id} for ${tenantId}; one of: ${config.delivery.webhooks.map(webhookId).join(', ') || '(none configured)'}`,
        );
      const current = hook?.secret;
      if (!current) return fail(`webhook ${id} is a ${hook?.format} webhook: it has no secret to rotate`);
      const hours = values['keep-hours'] === undefined ? 24 : Number(values['keep-hours']);
      if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30)
        fail(`--keep-hours must be a number of hours above 0 and at most 720, got ${values['keep-hours']}`);
      const secret = newWebhookSecret();
      const until = new Date(now.getTime() + hours * 3_600_000).toISOString();
      const webhooks = config.delivery.webhooks.map((w) =>
        w === hook ? { ...w, secret, previousSecret: { secret: current, until } } : w,
      );
      await store.putConfig(tenantId, { ...config, delivery: { ...config.delivery, webhooks } }, now);
      print({ tenantId, webhookId: id, secret, previousSecretUntil: until }, () =>
        console.log(
          `webhook ${id} of ${tenantId}\nsecret  ${secret}\n\nShown once and stored sealed: give it to the receiver now. Until ${until} every message is signed\nwith both the old and the new secret (webhook-signature and heed-signature carry both).`,
        ),
      );
    },
  },
  {
    words: 'report sla',
    args: [],
    flags:
      '--tenant <t> [--from 2026-11-01 --to 2026-11-30 --by group,priority --format table|csv|json|html]',
    summary: 'how promises were kept: clocks met and breached, escalations, CSAT, reopens, per group',
    run: async () => {
      const { report, tickets } = await slaReport();
      emitReport(report, tickets);
    },
  },
  {
    words: 'sla whatif',
    args: [],
    flags: '--tenant <t> --config <proposed.yaml|json> [--from --to --by --format table|csv|json|html]',
    summary:
      'the same tickets under a proposed configuration: met % before → after, changed outcomes (nothing is written or sent)',
    run: async () => {
      if (!values.config) fail('sla whatif: pass --config <the proposed configuration>', 2);
      const proposed = loadConfig(values.config as string);
      const { whatIf, tickets } = await slaReport(proposed);
      if (!whatIf) return;
      const format = reportFormat();
      if (format === 'json') return console.log(JSON.stringify(whatIf, null, 2));
      if (format === 'html') return void process.stdout.write(reportHtml(whatIf.after, whatIf.before));
      if (format === 'csv')
        return void process.stdout.write(
          `# before\n${reportCsv(whatIf.before)}# after\n${reportCsv(whatIf.after)}`,
        );
      const after = new Map(whatIf.after.groups.map((g) => [JSON.stringify(g.key), g]));
      console.log(
        `${tickets} tickets opened ${whatIf.before.from} – ${whatIf.before.to}; met % before → after`,
      );
      printTable([
        ['group', 'clock', 'met % before', 'met % after', 'breached before', 'breached after'],
        ...whatIf.before.groups.flatMap((g) =>
          CLOCK_KINDS.filter((k) => g.clocks[k] || after.get(JSON.stringify(g.key))?.clocks[k]).map((k) => {
            const b = g.clocks[k];
            const a = after.get(JSON.stringify(g.key))?.clocks[k];
            return [
              Object.entries(g.key)
                .map(([d, v]) => `${d}=${v}`)
                .join(' ') || 'whole period',
              k,
              String(b?.metPercent ?? '-'),
              String(a?.metPercent ?? '-'),
              String(b?.breached ?? 0),
              String(a?.breached ?? 0),
            ];
          }),
        ),
      ]);
      console.log(`\n${whatIf.changes.length} clock outcomes change`);
      if (whatIf.changes.length > 0)
        printTable([
          ['ticket', 'clock', 'cycle', 'before', 'after'],
          ...whatIf.changes.map((c) => [c.ticketId, c.clock, String(c.cycle), c.before, c.after]),
        ]);
      console.log(`\n${whatIf.escalations.length} escalations would have fired`);
      if (whatIf.escalations.length > 0)
        printTable([
          ['ticket', 'reason', 'clock', 'cycle', 'step', 'at'],
          ...whatIf.escalations.map((e) => [
            e.ticketId,
            e.reason,
            e.clock ?? '-',
            String(e.cycle ?? '-'),
            String(e.step ?? '-'),
            e.at,
          ]),
        ]);
    },
  },
  {
    words: 'report reindex',
    args: [],
    flags: '[--tenant <t>] [--tickets-table <name>]',
    summary:
      'index tickets recorded before the report index existed (a one-off Scan; running it again indexes nothing)',
    run: async () => {
      const { documents, table } = ticketsTable();
      const result = await reindexOpened(documents, table, values.tenant);
      print(result, () =>
        console.log(
          `indexed ${result.indexed} tickets (${result.scanned} state items without index keys read)`,
        ),
      );
    },
  },
  {
    words: 'connector add',
    args: ['tenant', 'provider'],
    flags: "[--secret <the product's own> --api-url <ApiUrl>]",
    summary: `connect a helpdesk or chat tool (${CONNECTOR_PROVIDERS.join(', ')}): prints its URL and secret once`,
    run: async ({ tenant, provider }) => {
      const { tenantId } = await existingTenant(tenant);
      if (!CONNECTOR_PROVIDERS.includes(provider as ConnectorProvider))
        fail(`no provider ${provider}; one of ${CONNECTOR_PROVIDERS.join(', ')}`, 2);
      const { documents, table, sealer, apiUrl } = tenantsTable();
      const store = new DynamoConnectorStore(documents, table, sealer);
      const { connectorId, secret } = await store.add(
        tenantId,
        provider as ConnectorProvider,
        now,
        values.secret,
      );
      const path = `/v1/connectors/${connectorId}`;
      const url = apiUrl ? `${apiUrl.replace(/\/+$/, '')}${path}` : path;
      print({ tenantId, provider, connectorId, url, secret }, () =>
        console.log(
          `connector ${connectorId} (${provider}) of ${tenantId}\nurl     ${url}\nsecret  ${secret}\n\nShown once and stored sealed. ${CONNECTOR_HINTS[provider as ConnectorProvider]}`,
        ),
      );
    },
  },
  {
    words: 'connector list',
    args: ['tenant'],
    summary: "list a tenant's connectors (never their secrets)",
    run: async ({ tenant }) => {
      const { tenantId } = await existingTenant(tenant);
      const { documents, table, sealer } = tenantsTable();
      const connectors = await new DynamoConnectorStore(documents, table, sealer).list(tenantId);
      print(connectors, () =>
        printTable([
          ['connector id', 'provider', 'created'],
          ...connectors.map((c) => [c.connectorId, c.provider, c.createdAt]),
        ]),
      );
    },
  },
  {
    words: 'connector remove',
    args: ['tenant', 'connectorId'],
    summary: 'remove a connector: its URL answers 404 from then on',
    run: async ({ tenant, connectorId }) => {
      const { tenantId } = await existingTenant(tenant);
      const { documents, table, sealer } = tenantsTable();
      try {
        await new DynamoConnectorStore(documents, table, sealer).remove(tenantId, connectorId as string);
      } catch (error) {
        if (error instanceof ConnectorNotFoundError) fail(error.message);
        throw error;
      }
      print({ removed: connectorId }, () => console.log(`removed ${connectorId}`));
    },
  },
  {
    words: 'customer erase',
    args: ['tenant', 'customerId'],
    flags: '[--tickets-table <TicketsTableName> --failure-bucket <OutboxFailureBucket>]',
    summary: "erase a customer's personal data from every ticket of theirs, keeping the facts (GDPR art. 17)",
    run: async ({ tenant, customerId }) => {
      const { tenantId } = await existingTenant(tenant);
      const { documents, table } = ticketsTable();
      const bucket = values['failure-bucket'];
      const failed = bucket
        ? s3FailedRecords(new S3Client(values.region ? { region: values.region } : {}), bucket)
        : undefined;
      const result = await eraseCustomer(documents, table, tenantId, customerId as string, now, failed);
      print({ tenantId, customerId, ...result }, () =>
        console.log(
          `erased customer ${customerId} of ${tenantId} (since ${result.erasedAt}): ${result.tickets.length} ticket${result.tickets.length === 1 ? '' : 's'}${result.tickets.length ? ` (${result.tickets.join(', ')})` : ''}, ${result.items} items changed; events that arrive for them later are stored without their personal data`,
        ),
      );
    },
  },
  {
    words: 'dlq list',
    args: ['[consumer]'],
    flags: '[--max n]',
    summary: 'list what is in the dead-letter queues: ids, receives, first failure (first 100)',
    run: async ({ consumer }) => {
      const { sqs, queues, failures } = deadLetterQueues(consumer);
      const max = maxOf(100);
      const out: { consumer: string; messages: DeadLetter[]; more: number }[] = [];
      for (const q of queues) {
        const letters = await withFirstFailures(await listDeadLetters(sqs, q.dlqUrl, max), q.name, failures);
        const total = await queueDepth(sqs, q.dlqUrl);
        out.push({ consumer: q.name, messages: letters, more: Math.max(0, total - letters.length) });
      }
      print(out, () => {
        for (const q of out) {
          showDeadLetters(q.consumer, q.messages);
          if (q.more > 0)
            console.log(
              `  … about ${q.more} more: pass --max ${Math.max(q.more + q.messages.length, max + 1)} to list them`,
            );
        }
      });
    },
  },
  {
    words: 'dlq redrive',
    args: ['consumer'],
    flags: '[--max n]',
    summary: "move dead letters back to the consumer's queue",
    run: async ({ consumer }) => {
      const { sqs, queues } = deadLetterQueues(consumer);
      const max = maxOf(Number.POSITIVE_INFINITY);
      const out: { consumer: string; moved: DeadLetter[] }[] = [];
      for (const q of queues) {
        if (!q.url) fail('pass --to <queue URL>: where the dead letters go back to');
        out.push({ consumer: q.name, moved: await redriveDeadLetters(sqs, q.dlqUrl, q.url as string, max) });
      }
      print(out, () => {
        for (const q of out) showDeadLetters(`moved back to ${q.consumer}`, q.moved);
      });
    },
  },
  {
    words: 'outbox redrive',
    args: [],
    flags: '--tenant <t> (--ticket <id> | --from <ISO> --to <ISO>)',
    summary:
      "re-publish a ticket's domain events, or a tenant's recorded in [from, to) (at most 31 days; consumers dedupe)",
    run: async () => {
      if (!values.tenant) fail('outbox redrive: --tenant <t> is required', 2);
      const tenantId = values.tenant as string;
      const window = values.ticket
        ? null
        : { from: instant('--from', values.from), to: instant('--to', values.to) };
      if (window) {
        const days = (window.to.getTime() - window.from.getTime()) / 86_400_000;
        if (days <= 0) fail('--from must be before --to');
        if (days > MAX_REDRIVE_DAYS)
          fail(
            `a redrive window is at most ${MAX_REDRIVE_DAYS} days (this one is ${Math.ceil(days)}); run one per month`,
          );
      }
      const scope = window ? { tenantId, ...window } : { tenantId, ticketId: values.ticket as string };
      const { documents, table, publisher } = outboxTarget();
      const result = await redriveOutbox(documents, table, scope, publisher);
      print(result, () =>
        console.log(
          `re-published ${result.published} domain events${result.refused ? `; the bus refused ${result.refused} (run again)` : ''}`,
        ),
      );
      if (result.refused > 0) process.exitCode = 1;
    },
  },
];

const usageOf = (c: Command) =>
  `npm run heed -- ${[c.words, ...c.args.map((a) => (a.startsWith('[') ? a : `<${a}>`)), c.flags ?? ''].join(' ').trim()}`;
const usage = `npm run heed -- <command> [--help]\n\n${COMMANDS.map((c) => `  ${usageOf(c).slice('npm run heed -- '.length).padEnd(58)} ${c.summary}`).join('\n')}\n\n${TARGET}`;

if (positionals.length === 0) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const words = positionals.slice(0, 2).join(' ');
const command = COMMANDS.find((c) => c.words === words);
if (!command) {
  const group = COMMANDS.filter((c) => c.words.startsWith(`${positionals[0]} `));
  if (values.help && group.length > 0) {
    console.log(group.map((c) => `${usageOf(c)}\n  ${c.summary}`).join('\n\n'));
    process.exit(0);
  }
  fail(
    group.length > 0
      ? `${positionals[0]}: ${positionals[1] === undefined ? 'which command?' : `unknown command ${positionals[1]};`} one of: ${group.map((c) => c.words.split(' ')[1]).join(', ')}`
      : `unknown command: ${positionals.join(' ')}\n\n${usage}`,
    2,
  );
}
const chosen = command as Command;
if (values.help) {
  console.log(`${usageOf(chosen)}\n\n  ${chosen.summary}\n\n${TARGET}`);
  process.exit(0);
}
const given = positionals.slice(2);
const required = chosen.args.filter((a) => !a.startsWith('['));
if (given.length < required.length)
  fail(`${chosen.words}: missing <${required[given.length]}>\nusage: ${usageOf(chosen)}`, 2);
if (given.length > chosen.args.length)
  fail(
    `${chosen.words}: unexpected ${given.slice(chosen.args.length).join(' ')}\nusage: ${usageOf(chosen)}`,
    2,
  );
const args = Object.fromEntries(chosen.args.map((a, i) => [a.replace(/[[\]]/g, ''), given[i]]));
try {
  await chosen.run(args);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
