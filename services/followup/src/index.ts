export { composeFeedback, composeFollowUp } from './compose';
export { createFeedbackHandler, type FeedbackDeps } from './feedback';
export { createFollowUpHandler } from './followup';
export {
  type FollowUpDeps,
  type FollowUpHandlerDeps,
  type FollowUpPorts,
  type FollowUpState,
  followUpWorkflow,
  reconcileFollowUps,
} from './reconcile';
