import { KMSClient } from '@aws-sdk/client-kms';
import {
  DynamoSurveyStore,
  DynamoTicketStore,
  dynamoClients,
  ENV,
  KmsMac,
  requireEnv,
  systemClock,
} from '@heed/aws';
import { createFeedbackHandler } from './feedback';

// Module scope: clients are built once per container, at cold start. Only the tickets table:
// this public function has no business with tenants' configurations or secrets.
const clients = dynamoClients();

export const handler = createFeedbackHandler({
  mac: new KmsMac(new KMSClient({}), requireEnv(ENV.feedbackKey)),
  tickets: new DynamoTicketStore(clients.documents, requireEnv(ENV.ticketsTable)),
  surveys: new DynamoSurveyStore(clients.documents, requireEnv(ENV.ticketsTable)),
  clock: systemClock,
});
