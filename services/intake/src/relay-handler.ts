import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ENV, EventBridgePublisher, requireEnv } from '@heed/aws';
import { createRelayHandler } from './relay';

// The relay only publishes: one EventBridge client, built at cold start.
export const handler = createRelayHandler(
  new EventBridgePublisher(new EventBridgeClient({}), requireEnv(ENV.eventBus)),
);
