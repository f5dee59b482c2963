import { DynamoTimerStore, type QueueTimerRedrive, type TicketsTable } from '@heed/aws';
import { sweep } from './sweep';

/** The sweeper's run, from the tickets table and the owners' queues it sends overdue timers to. */
export const composeSweep = (t: TicketsTable, redrive: Pick<QueueTimerRedrive, 'redrive'>) => {
  const deps = { timers: new DynamoTimerStore(t.documents, t.ticketsTable), redrive, clock: t.clock };
  return () => sweep(deps);
};
