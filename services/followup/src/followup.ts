import { timerOwnerConsumer } from '@heed/app';
import { type FollowUpHandlerDeps, followUpWorkflow } from './reconcile';

/** The follow-up Lambda: looks at a ticket again on its status changes, messages, feedback and follow-up timer firings. */
export const createFollowUpHandler = (deps: FollowUpHandlerDeps) =>
  timerOwnerConsumer(followUpWorkflow(deps), deps);
