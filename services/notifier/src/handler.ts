import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  ENV,
  KmsSealer,
  lambdaFoundation,
  requireEnv,
  SecretOpener,
  SqsBackoff,
  systemClock,
} from '@heed/aws';
import { webhookPoster } from './channels';
import { composeNotifier } from './compose';
import { sesEmailSender } from './ses';

// Module scope: clients and stores are built once per container, at cold start.
export const handler = composeNotifier(lambdaFoundation(), {
  poster: webhookPoster(),
  // Webhook secrets are stored sealed with the stack's KMS key; only this function may open them.
  secrets: new SecretOpener(new KmsSealer(new KMSClient({}))),
  // SES only when the stack enables it: the client is imported on demand, not at every cold start.
  ...(process.env[ENV.sesEnabled] === 'true' && { email: await sesEmailSender() }),
  wallClock: systemClock,
  retry: new SqsBackoff(
    new SQSClient({}),
    requireEnv(ENV.notifierQueueUrl),
    Number(process.env[ENV.retryBaseSeconds] ?? 30),
  ),
});
