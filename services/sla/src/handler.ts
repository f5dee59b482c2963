import { DynamoTimerStore, ENV, lambdaStores, requireEnv, schedulerTimersOf, systemClock } from '@heed/aws';
import { createSlaHandler } from './sla';

// Module scope: clients and stores are built once per container, at cold start.
const { clients, tickets, configs, deliveries } = lambdaStores();

export const handler = createSlaHandler({
  tickets,
  configs,
  deliveries,
  failures: deliveries,
  timers: new DynamoTimerStore(clients.documents, requireEnv(ENV.ticketsTable)),
  port: schedulerTimersOf('sla', systemClock),
  clock: systemClock,
});
