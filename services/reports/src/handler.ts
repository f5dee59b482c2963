import { lambdaFoundation } from '@heed/aws';
import { composeReports } from './compose';

// Module scope: clients and stores are built once per container, at cold start.
export const handler = composeReports(lambdaFoundation());
