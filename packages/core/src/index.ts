export * from './api-keys';
export * from './clock';
export * from './domain-events';
export * from './projection';
export * from './reference';
