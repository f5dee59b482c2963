export { type AcknowledgeDeps, acknowledge } from './acknowledge';
export { createAcknowledgerHandler } from './acknowledger';
export { composeAcknowledger } from './compose';
