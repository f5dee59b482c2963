/**
 * Environment variable names that carry resource names from CDK to handlers. CDK's bind helpers
 * and the handlers both import these, so a renamed variable breaks the build, not production.
 */
export const ENV = {
  ticketsTable: 'HEED_TICKETS_TABLE',
  tenantsTable: 'HEED_TENANTS_TABLE',
  eventBus: 'HEED_EVENT_BUS',
  /** The notifier's own queue, for backoff (ChangeMessageVisibility). */
  notifierQueueUrl: 'HEED_NOTIFIER_QUEUE_URL',
  /** First retry delay of a failed delivery, in seconds (doubles per attempt). */
  retryBaseSeconds: 'HEED_RETRY_BASE_SECONDS',
  /** KMS key (id or ARN) sealing webhook secrets, for `heed config push` against AWS. */
  secretsKey: 'HEED_SECRETS_KEY',
  /** Set (to "true") when the stack enables SES e-mail delivery. */
  sesEnabled: 'HEED_SES_ENABLED',
} as const;

export class MissingConfigError extends Error {
  override readonly name = 'MissingConfigError';
}

export const requireEnv = (name: string, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[name];
  if (value === undefined || value === '')
    throw new MissingConfigError(`environment variable ${name} is not set`);
  return value;
};
