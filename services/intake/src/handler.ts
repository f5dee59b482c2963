import { KMSClient } from '@aws-sdk/client-kms';
import { KmsSealer, lambdaFoundation, systemClock } from '@heed/aws';
import { composeIntake } from './compose';

// Module scope: clients and stores are built once per container, at cold start. KMS opens the
// connectors' sealed secrets (only as connector secrets: see the intake stack's grant).
export const handler = composeIntake(lambdaFoundation(), new KmsSealer(new KMSClient({})), systemClock);
