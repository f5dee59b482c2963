export { createFeedbackHandler, type FeedbackDeps } from './feedback';
export { createFollowUpHandler, type FollowUpHandlerDeps } from './followup';
export { type FollowUpDeps, type FollowUpState, reconcileFollowUps } from './reconcile';
