export { SWEEP_GRACE_MS, type SweepDeps, sweep } from './sweep';
