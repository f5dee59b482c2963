import { CachedConfigSource } from './cached-config';
import { type DynamoClients, dynamoClients } from './clients';
import { DynamoDeliveryStore } from './delivery-store';
import { ENV, requireEnv } from './env';
import { DynamoTenantStore } from './tenant-store';
import { DynamoTicketReader } from './ticket-reader';
import { DynamoTicketStore } from './ticket-store';

export interface LambdaStores {
  readonly clients: DynamoClients;
  readonly tickets: DynamoTicketStore;
  readonly reader: DynamoTicketReader;
  readonly tenants: DynamoTenantStore;
  readonly deliveries: DynamoDeliveryStore;
  /** Tenant configurations, cached for a minute per container. */
  readonly configs: CachedConfigSource;
}

/**
 * The DynamoDB clients and stores of a Heed Lambda, from the environment CDK binds. Call once at
 * module scope (cold start), never per invocation. Other clients (SQS, KMS…) the function
 * builds itself, only if it uses them.
 */
export const lambdaStores = (): LambdaStores => {
  const clients = dynamoClients();
  const ticketsTable = requireEnv(ENV.ticketsTable);
  const tenants = new DynamoTenantStore(clients.documents, requireEnv(ENV.tenantsTable));
  return {
    clients,
    tickets: new DynamoTicketStore(clients.documents, ticketsTable),
    reader: new DynamoTicketReader(clients.documents, ticketsTable),
    tenants,
    deliveries: new DynamoDeliveryStore(clients.documents, ticketsTable),
    configs: new CachedConfigSource(tenants),
  };
};
