import { SQSClient } from '@aws-sdk/client-sqs';
import {
  lambdaHandler,
  lambdaTicketsTable,
  logger,
  ownerEnv,
  QueueTimerRedrive,
  requireEnv,
} from '@heed/aws';
import { TIMER_OWNERS, type TimerOwner } from '@heed/contracts';
import { composeSweep } from './compose';

// Module scope: clients are built once per container, at cold start.
const sweepOnce = composeSweep(
  lambdaTicketsTable(),
  new QueueTimerRedrive(
    new SQSClient({}),
    Object.fromEntries(TIMER_OWNERS.map((owner) => [owner, requireEnv(ownerEnv(owner).queueUrl)])) as Record<
      TimerOwner,
      string
    >,
  ),
);

/** Runs every few minutes on a schedule. */
export const handler = lambdaHandler(async () => {
  const result = await sweepOnce();
  logger.info('swept timers', result);
  return result;
});
