import { type OwnerConsumerDeps, timerOwnerConsumer } from '@heed/aws';
import { reconcileSla, type SlaDeps } from './reconcile';

export interface SlaHandlerDeps extends SlaDeps {
  readonly failures: OwnerConsumerDeps['failures'];
  readonly timers: SlaDeps['timers'] & OwnerConsumerDeps['timers'];
}

/** The SLA Lambda: looks at a ticket again on each of its events and SLA timer firings. */
export const createSlaHandler = (deps: SlaHandlerDeps) =>
  timerOwnerConsumer(
    'sla',
    (tenantId, ticketId, trigger) => reconcileSla(tenantId, ticketId, trigger, deps),
    deps,
  );
