import {
  DynamoConnectorStore,
  DynamoTicketReader,
  DynamoTicketStore,
  DynamoTimerStore,
  type Foundation,
  SecretOpener,
  type SecretSealer,
} from '@heed/aws';
import type { Clock } from '@heed/core';
import { BearerAuthenticator } from './auth';
import { createIntakeHandler } from './intake';

/**
 * The intake API function: events in, ticket reads out, keys checked against the tenants table;
 * connectors' secrets opened with `sealer` (KMS in AWS), their signatures' age read on `wallClock`.
 */
export const composeIntake = (f: Foundation, sealer: SecretSealer, wallClock: Clock) => {
  // One Decrypt per connector secret per five minutes, not one per webhook.
  const opener = new SecretOpener(sealer);
  return createIntakeHandler({
    tickets: new DynamoTicketStore(f.documents, f.ticketsTable),
    reader: new DynamoTicketReader(f.documents, f.ticketsTable),
    timers: new DynamoTimerStore(f.documents, f.ticketsTable),
    configs: f.configs,
    auth: new BearerAuthenticator(f.tenants),
    connectors: new DynamoConnectorStore(f.documents, f.tenantsTable, {
      seal: (plaintext, context) => sealer.seal(plaintext, context),
      open: (sealed, context) => opener.open(sealed, context),
    }),
    clock: f.clock,
    wallClock,
  });
};
