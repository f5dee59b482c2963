import { lambdaFoundation, schedulerTimersOf, systemClock } from '@heed/aws';
import { composeSla } from './compose';

// Module scope: clients and stores are built once per container, at cold start.
export const handler = composeSla(lambdaFoundation(), schedulerTimersOf('sla', systemClock));
