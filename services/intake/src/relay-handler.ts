import { createClients, ENV, EventBridgePublisher, requireEnv } from '@heed/aws';
import { createRelayHandler } from './relay';

const clients = createClients();

export const handler = createRelayHandler(
  new EventBridgePublisher(clients.eventbridge, requireEnv(ENV.eventBus)),
);
