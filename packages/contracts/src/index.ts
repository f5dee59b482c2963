export * from './http';
export * from './inbound';
export * from './json-schemas';
export * from './outbound';
export * from './routing';
export * from './tenant-config';
export * from './validation';
