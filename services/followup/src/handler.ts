import { KMSClient } from '@aws-sdk/client-kms';
import { ENV, KmsMac, lambdaFoundation, requireEnv, schedulerTimersOf, systemClock } from '@heed/aws';
import { composeFollowUp } from './compose';

// Module scope: clients and stores are built once per container, at cold start.
export const handler = composeFollowUp(lambdaFoundation(), schedulerTimersOf('followup', systemClock), {
  mac: new KmsMac(new KMSClient({}), requireEnv(ENV.feedbackKey)),
  publicUrl: () => requireEnv(ENV.publicUrl),
});
