import { KMSClient } from '@aws-sdk/client-kms';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoTimerStore, ENV, KmsMac, lambdaStores, requireEnv, SchedulerTimers } from '@heed/aws';
import { systemClock } from '@heed/core';
import { createFollowUpHandler } from './followup';

// Module scope: clients and stores are built once per container, at cold start.
const { clients, tickets, configs, deliveries } = lambdaStores();

export const handler = createFollowUpHandler({
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
      followup: {
        queueUrl: requireEnv(ENV.followupQueueUrl),
        queueArn: requireEnv(ENV.followupQueueArn),
        dlqArn: requireEnv(ENV.followupDlqArn),
        roleArn: requireEnv(ENV.followupSchedulerRoleArn),
      },
    },
  ),
  mac: new KmsMac(new KMSClient({}), requireEnv(ENV.feedbackKey)),
  publicUrl: () => requireEnv(ENV.publicUrl),
  clock: systemClock,
});
