import { composeOwner } from '@heed/app';
import type { Foundation, TimerPort } from '@heed/aws';
import { createSlaHandler } from './sla';

/** The SLA function, from the tickets table and a scheduler: Scheduler in AWS, the local one in `npm start`. */
export const composeSla = (f: Foundation, port: TimerPort) => createSlaHandler(composeOwner(f, port));
