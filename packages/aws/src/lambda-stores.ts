import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '@heed/core';
import { CachedConfigSource } from './cached-config';
import { dynamoClients } from './clients';
import { ENV, requireEnv } from './env';
import { systemClock } from './system-clock';
import type { ConfigSource } from './tenant-store';
import { DynamoTenantStore } from './tenant-store';

/** What every service's composition starts from: the tickets table and Heed's clock. */
export interface TicketsTable {
  readonly documents: DynamoDBDocumentClient;
  readonly ticketsTable: string;
  readonly clock: Clock;
}

/** The tickets table, and the tenants with their configurations (cached). */
export interface Foundation extends TicketsTable {
  readonly tenantsTable: string;
  readonly tenants: DynamoTenantStore;
  readonly configs: ConfigSource;
}

/**
 * A Lambda's tickets table, from the environment CDK binds, on the system clock. Call once at
 * module scope (cold start), never per invocation. Other clients (SQS, KMS…) the function's
 * handler module builds itself, only if it uses them, and hands to its service's composition
 * (`compose.ts`), which the local runtime calls with its stand-ins.
 */
export const lambdaTicketsTable = (): TicketsTable => ({
  documents: dynamoClients().documents,
  ticketsTable: requireEnv(ENV.ticketsTable),
  clock: systemClock,
});

/** `lambdaTicketsTable` and the tenants table; configurations cached for a minute per container. */
export const lambdaFoundation = (): Foundation => {
  const table = lambdaTicketsTable();
  const tenantsTable = requireEnv(ENV.tenantsTable);
  const tenants = new DynamoTenantStore(table.documents, tenantsTable);
  return { ...table, tenantsTable, tenants, configs: new CachedConfigSource(tenants) };
};
