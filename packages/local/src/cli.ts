import './local-env';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClients, DynamoTenantStore, ENV } from '@heed/aws';
import type { TenantConfig } from '@heed/contracts';
import { validateTenantConfig } from '@heed/core';
import { parse as parseYaml } from 'yaml';
import { readState } from './state-file';

const usage = `npm run heed -- <command>

  tenant create <tenant> [--name "Acme Inc."]   create a tenant and issue its first API key
  keys list <tenant>                            list key ids and status (never the keys)
  keys issue <tenant>                           issue a second key (at most two are active)
  keys rotate <tenant>                          issue a new key; revokes the oldest if two are active
  keys revoke <tenant> <keyId>                  revoke one key
  config validate <file>                        check a tenant configuration (YAML or JSON)
  config push <tenant> <file>                   validate and store it for the tenant
  config show <tenant>                          print the tenant's configuration (secrets masked)

Target: the running local runtime (npm start) by default; for a deployed stack pass
--table <TenantsTableName output> (or set ${ENV.tenantsTable}) and use your usual AWS credentials.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    table: { type: 'string' },
    region: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const fail = (message: string): never => {
  console.error(`heed: ${message}`);
  process.exit(1);
};

if (values.help || positionals.length === 0) {
  console.log(usage);
  process.exit(0);
}

const target = (): DynamoTenantStore => {
  const table = values.table ?? process.env[ENV.tenantsTable];
  if (table) {
    const clients = createClients(values.region ? { region: values.region } : {});
    return new DynamoTenantStore(clients.documents, table);
  }
  const state = readState();
  if (!state) return fail(`no local runtime is running (start it with npm start) and no --table was given`);
  const clients = createClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoints: { dynamodb: state.dynamodbEndpoint },
  });
  return new DynamoTenantStore(clients.documents, state.tables.tenants);
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
    webhooks: config.delivery.webhooks.map((w) => ({ ...w, secret: `${w.secret.slice(0, 3)}…` })),
  },
});

const [group, action, tenantId, extra] = positionals;
const now = new Date();
try {
  if (group === 'tenant' && action === 'create' && tenantId) {
    const issued = await target().create(tenantId, values.name ?? tenantId, now);
    showKey(issued.tenantId, issued.keyId, issued.apiKey);
  } else if (group === 'keys' && action === 'list' && tenantId) {
    for (const k of await target().listKeys(tenantId)) {
      console.log(
        `${k.keyId}  ${k.status.padEnd(7)}  created ${k.createdAt}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}`,
      );
    }
  } else if (group === 'keys' && action === 'issue' && tenantId) {
    const issued = await target().issueKey(tenantId, now);
    showKey(issued.tenantId, issued.keyId, issued.apiKey);
  } else if (group === 'keys' && action === 'rotate' && tenantId) {
    const { issued, revoked } = await target().rotate(tenantId, now);
    showKey(issued.tenantId, issued.keyId, issued.apiKey);
    if (revoked) console.log(`revoked the oldest key ${revoked}`);
  } else if (group === 'keys' && action === 'revoke' && tenantId && extra) {
    await target().revoke(tenantId, extra, now);
    console.log(`revoked ${extra}`);
  } else if (group === 'config' && action === 'validate' && tenantId) {
    const config = loadConfig(tenantId);
    console.log(
      `${tenantId} is valid: ${config.sla.rules.length} SLA rules, ${Object.keys(config.calendars).length} calendars, ${config.delivery.webhooks.length} webhooks`,
    );
  } else if (group === 'config' && action === 'push' && tenantId && extra) {
    const config = loadConfig(extra);
    await target().putConfig(tenantId, config, now);
    console.log(`stored the configuration of ${tenantId} (services pick it up within a minute)`);
  } else if (group === 'config' && action === 'show' && tenantId) {
    console.log(JSON.stringify(masked(await target().configOf(tenantId)), null, 2));
  } else {
    fail(`unknown command: ${positionals.join(' ')}\n\n${usage}`);
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
