import {
  DynamoDeliveryStore,
  DynamoTicketStore,
  DynamoTimerStore,
  type Foundation,
  type TimerPort,
} from '@heed/aws';
import type { OwnerConsumerDeps } from './consumer';

/** What every timer owner's Lambda is built from, in AWS and in the local runtime alike. */
export const composeOwner = (f: Foundation, port: TimerPort): OwnerConsumerDeps => {
  const deliveries = new DynamoDeliveryStore(f.documents, f.ticketsTable);
  return {
    tickets: new DynamoTicketStore(f.documents, f.ticketsTable),
    configs: f.configs,
    deliveries,
    failures: deliveries,
    timers: new DynamoTimerStore(f.documents, f.ticketsTable),
    port,
    clock: f.clock,
  };
};
