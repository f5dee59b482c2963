import { DynamoDeliveryStore, DynamoTicketStore, type Foundation } from '@heed/aws';
import { createAcknowledgerHandler } from './acknowledger';

/** The acknowledger function: it needs nothing but the tables. */
export const composeAcknowledger = (f: Foundation) =>
  createAcknowledgerHandler({
    tickets: new DynamoTicketStore(f.documents, f.ticketsTable),
    configs: f.configs,
    deliveries: new DynamoDeliveryStore(f.documents, f.ticketsTable),
    clock: f.clock,
  });
