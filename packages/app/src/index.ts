export * from './owner/compose';
export * from './owner/consumer';
export * from './owner/runner';
export * from './owner/settling';
export * from './owner/workflow';
export * from './report/run';
