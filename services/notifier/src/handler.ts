import { KMSClient } from '@aws-sdk/client-kms';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { ENV, KmsSealer, lambdaStores, requireEnv, SecretOpener, SqsBackoff } from '@heed/aws';
import { systemClock } from '@heed/core';
import { fetchPoster, SesEmailSender } from './channels';
import { createNotifierHandler } from './notifier';

// Module scope: clients and stores are built once per container, at cold start.
const { clients, tickets, configs, deliveries } = lambdaStores();

export const handler = createNotifierHandler({
  deliveries,
  tickets,
  configs,
  poster: fetchPoster(),
  // Webhook secrets are stored sealed with the stack's KMS key; only this function may open them.
  secrets: new SecretOpener(new KmsSealer(new KMSClient({}))),
  ...(process.env[ENV.sesEnabled] === 'true' && { email: new SesEmailSender(new SESv2Client({})) }),
  clock: systemClock,
  retry: new SqsBackoff(
    clients.sqs,
    requireEnv(ENV.notifierQueueUrl),
    Number(process.env[ENV.retryBaseSeconds] ?? 30),
  ),
});
