import { type OwnerConsumerDeps, timerOwnerConsumer } from '@heed/app';
import { slaWorkflow } from './reconcile';

export type SlaHandlerDeps = OwnerConsumerDeps;

/** The SLA Lambda: looks at a ticket again on each of its events and SLA timer firings. */
export const createSlaHandler = (deps: SlaHandlerDeps) => timerOwnerConsumer(slaWorkflow, deps);
