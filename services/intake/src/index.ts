export { BearerAuthenticator } from './auth';
export { composeIntake } from './compose';
export { createIntakeHandler, type IntakeDeps } from './intake';
export { createRelayHandler } from './relay';
