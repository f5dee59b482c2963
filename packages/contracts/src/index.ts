export * from './http';
export * from './inbound';
export * from './json';
export * from './outbound';
export * from './routing';
export * from './tenant-config';
export * from './timers';
export * from './validation';
