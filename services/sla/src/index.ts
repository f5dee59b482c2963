export { reconcileSla, type SlaDeps, type SlaState } from './reconcile';
export { createSlaHandler, type SlaHandlerDeps } from './sla';
