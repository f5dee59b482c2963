import { createClients, DynamoTenantStore, DynamoTicketStore, ENV, requireEnv } from '@heed/aws';
import { systemClock } from '@heed/core';
import { BearerAuthenticator } from './auth';
import { createIntakeHandler } from './intake';

// Module scope: clients and stores are built once per container, at cold start.
const clients = createClients();

export const handler = createIntakeHandler({
  tickets: new DynamoTicketStore(clients.documents, requireEnv(ENV.ticketsTable)),
  auth: new BearerAuthenticator(new DynamoTenantStore(clients.documents, requireEnv(ENV.tenantsTable))),
  clock: systemClock,
});
