import { DynamoTicketReader, DynamoTicketStore, DynamoTimerStore, type Foundation } from '@heed/aws';
import { BearerAuthenticator } from './auth';
import { createIntakeHandler } from './intake';

/** The intake API function: events in, ticket reads out, keys checked against the tenants table. */
export const composeIntake = (f: Foundation) =>
  createIntakeHandler({
    tickets: new DynamoTicketStore(f.documents, f.ticketsTable),
    reader: new DynamoTicketReader(f.documents, f.ticketsTable),
    timers: new DynamoTimerStore(f.documents, f.ticketsTable),
    configs: f.configs,
    auth: new BearerAuthenticator(f.tenants),
    clock: f.clock,
  });
