export {
  DestinationRefusedError,
  destinationProblem,
  type PostMethod,
  type PostPolicy,
  type WebhookPoster,
  webhookPoster,
} from './channels';
export { composeNotifier, type NotifierPorts } from './compose';
export { type DeliverDeps, deliver, webhookPayload } from './deliver';
export { createNotifierHandler, type NotifierDeps } from './notifier';
export { newWebhookSecret, SIGNATURE_HEADER, sign, standardHeaders, standardKey, verify } from './signature';
