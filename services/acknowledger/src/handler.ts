import { lambdaStores, systemClock } from '@heed/aws';
import { createAcknowledgerHandler } from './acknowledger';

// Module scope: clients and stores are built once per container, at cold start.
const { tickets, configs, deliveries } = lambdaStores();

export const handler = createAcknowledgerHandler({ tickets, configs, deliveries, clock: systemClock });
