export { BearerAuthenticator } from './auth';
export { createIntakeHandler, type IntakeDeps } from './intake';
export { createRelayHandler } from './relay';
