import { KMSClient } from '@aws-sdk/client-kms';
import {
  DynamoTimerStore,
  ENV,
  KmsMac,
  lambdaStores,
  requireEnv,
  schedulerTimersOf,
  systemClock,
} from '@heed/aws';
import { createFollowUpHandler } from './followup';

// Module scope: clients and stores are built once per container, at cold start.
const { clients, tickets, configs, deliveries } = lambdaStores();

export const handler = createFollowUpHandler({
  tickets,
  configs,
  deliveries,
  failures: deliveries,
  timers: new DynamoTimerStore(clients.documents, requireEnv(ENV.ticketsTable)),
  port: schedulerTimersOf('followup', systemClock),
  mac: new KmsMac(new KMSClient({}), requireEnv(ENV.feedbackKey)),
  publicUrl: () => requireEnv(ENV.publicUrl),
  clock: systemClock,
});
