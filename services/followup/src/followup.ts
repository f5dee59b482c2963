import { type OwnerConsumerDeps, timerOwnerConsumer } from '@heed/aws';
import { type FollowUpDeps, reconcileFollowUps } from './reconcile';

export interface FollowUpHandlerDeps extends FollowUpDeps {
  readonly failures: OwnerConsumerDeps['failures'];
  readonly timers: FollowUpDeps['timers'] & OwnerConsumerDeps['timers'];
}

/** The follow-up Lambda: looks at a ticket again on its status changes, messages, feedback and follow-up timer firings. */
export const createFollowUpHandler = (deps: FollowUpHandlerDeps) =>
  timerOwnerConsumer(
    'followup',
    (tenantId, ticketId, trigger) => reconcileFollowUps(tenantId, ticketId, trigger, deps),
    deps,
  );
