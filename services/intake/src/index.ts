export { BearerAuthenticator } from './auth';
export { composeIntake } from './compose';
export { errorResponse, HttpError, header, httpFunction, json, rawBody } from './http';
export { createIntakeHandler, type IntakeDeps } from './intake';
export { createRelayHandler } from './relay';
