export * from './clients';
export * from './env';
export * from './handler-kit';
export * from './powertools';
export * from './publisher';
export * from './table-schema';
export * from './tenant-store';
export * from './ticket-store';
