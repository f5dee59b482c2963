export { composeSweep } from './compose';
export { AT_RISK_WITHIN_MS, SWEEP_GRACE_MS, type SweepDeps, sweep } from './sweep';
