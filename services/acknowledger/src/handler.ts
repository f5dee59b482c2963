import {
  CachedConfigSource,
  createClients,
  DynamoDeliveryStore,
  DynamoTenantStore,
  DynamoTicketStore,
  ENV,
  requireEnv,
} from '@heed/aws';
import { systemClock } from '@heed/core';
import { createAcknowledgerHandler } from './acknowledger';

// Module scope: clients and stores are built once per container, at cold start.
const clients = createClients();
const ticketsTable = requireEnv(ENV.ticketsTable);

export const handler = createAcknowledgerHandler({
  tickets: new DynamoTicketStore(clients.documents, ticketsTable),
  configs: new CachedConfigSource(new DynamoTenantStore(clients.documents, requireEnv(ENV.tenantsTable))),
  deliveries: new DynamoDeliveryStore(clients.documents, ticketsTable),
  clock: systemClock,
});
