import { SQSClient } from '@aws-sdk/client-sqs';
import {
  DynamoTimerStore,
  dynamoClients,
  ENV,
  lambdaHandler,
  logger,
  QueueTimerRedrive,
  requireEnv,
  systemClock,
} from '@heed/aws';
import { sweep } from './sweep';

// Module scope: clients are built once per container, at cold start.
const { documents } = dynamoClients();
const deps = {
  timers: new DynamoTimerStore(documents, requireEnv(ENV.ticketsTable)),
  redrive: new QueueTimerRedrive(new SQSClient({}), {
    sla: requireEnv(ENV.slaQueueUrl),
    followup: requireEnv(ENV.followupQueueUrl),
  }),
  clock: systemClock,
};

/** Runs every few minutes on a schedule. */
export const handler = lambdaHandler(async () => {
  const result = await sweep(deps);
  logger.info('swept timers', result);
  return result;
});
