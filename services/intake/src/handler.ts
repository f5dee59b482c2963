import { DynamoTimerStore, ENV, lambdaStores, requireEnv, systemClock } from '@heed/aws';
import { BearerAuthenticator } from './auth';
import { createIntakeHandler } from './intake';

// Module scope: clients and stores are built once per container, at cold start.
const { clients, tickets, reader, tenants, configs } = lambdaStores();

export const handler = createIntakeHandler({
  tickets,
  reader,
  timers: new DynamoTimerStore(clients.documents, requireEnv(ENV.ticketsTable)),
  configs,
  auth: new BearerAuthenticator(tenants),
  clock: systemClock,
});
