import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV, lambdaHandler, lambdaTicketsTable, logger, QueueTimerRedrive, requireEnv } from '@heed/aws';
import { composeSweep } from './compose';

// Module scope: clients are built once per container, at cold start.
const sweepOnce = composeSweep(
  lambdaTicketsTable(),
  new QueueTimerRedrive(new SQSClient({}), {
    sla: requireEnv(ENV.slaQueueUrl),
    followup: requireEnv(ENV.followupQueueUrl),
  }),
);

/** Runs every few minutes on a schedule. */
export const handler = lambdaHandler(async () => {
  const result = await sweepOnce();
  logger.info('swept timers', result);
  return result;
});
