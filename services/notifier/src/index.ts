export {
  DestinationRefusedError,
  destinationProblem,
  type PostPolicy,
  type WebhookPoster,
  webhookPoster,
} from './channels';
export { type DeliverDeps, deliver, webhookPayload } from './deliver';
export { createNotifierHandler, type NotifierDeps } from './notifier';
export { SIGNATURE_HEADER, sign, verify } from './signature';
