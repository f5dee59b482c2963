import { KMSClient } from '@aws-sdk/client-kms';
import { ENV, KmsMac, lambdaTicketsTable, requireEnv } from '@heed/aws';
import { composeFeedback } from './compose';

// Module scope: clients are built once per container, at cold start. Only the tickets table:
// this public function has no business with tenants' configurations or secrets.
export const handler = composeFeedback(
  lambdaTicketsTable(),
  new KmsMac(new KMSClient({}), requireEnv(ENV.feedbackKey)),
);
