import { lambdaStores } from '@heed/aws';
import { systemClock } from '@heed/core';
import { BearerAuthenticator } from './auth';
import { createIntakeHandler } from './intake';

// Module scope: clients and stores are built once per container, at cold start.
const { tickets, reader, tenants } = lambdaStores();

export const handler = createIntakeHandler({
  tickets,
  reader,
  auth: new BearerAuthenticator(tenants),
  clock: systemClock,
});
