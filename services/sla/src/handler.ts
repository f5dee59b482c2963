import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoTimerStore, ENV, lambdaStores, requireEnv, SchedulerTimers } from '@heed/aws';
import { systemClock } from '@heed/core';
import { createSlaHandler } from './sla';

// Module scope: clients and stores are built once per container, at cold start.
const { clients, tickets, configs, deliveries } = lambdaStores();

export const handler = createSlaHandler({
  tickets,
  configs,
  deliveries,
  failures: deliveries,
  timers: new DynamoTimerStore(clients.documents, requireEnv(ENV.ticketsTable)),
  port: new SchedulerTimers(
    new SchedulerClient({}),
    new SQSClient({}),
    systemClock,
    requireEnv(ENV.scheduleGroup),
    {
      sla: {
        queueUrl: requireEnv(ENV.slaQueueUrl),
        queueArn: requireEnv(ENV.slaQueueArn),
        dlqArn: requireEnv(ENV.slaDlqArn),
        roleArn: requireEnv(ENV.slaSchedulerRoleArn),
      },
    },
  ),
  clock: systemClock,
});
