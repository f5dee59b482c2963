export { composeSla } from './compose';
export { reconcileSla, type SlaDeps, type SlaState, slaWorkflow } from './reconcile';
export { createSlaHandler, type SlaHandlerDeps } from './sla';
