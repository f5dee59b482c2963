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
  /** EventBridge Scheduler group of Heed's one-time timer schedules. */
  scheduleGroup: 'HEED_SCHEDULE_GROUP',
  /** KMS HMAC key of the survey links (the follow-up service signs, the feedback page verifies). */
  feedbackKey: 'HEED_FEEDBACK_KEY',
  /** Base URL of the public API (survey links point at `<url>/v1/feedback/<token>`). */
  publicUrl: 'HEED_PUBLIC_URL',
  /** The S3 bucket the report engine keeps its partials and reports in. */
  reportsBucket: 'HEED_REPORTS_BUCKET',
  /** Set (to "true") when the stack enables SES e-mail delivery. */
  sesEnabled: 'HEED_SES_ENABLED',
} as const;

/**
 * A timer owner's queue (its timers fire there), its DLQ, and the role Scheduler sends with:
 * named after the owner (`HEED_SLA_QUEUE_URL`…), so a new owner needs no new entry here.
 */
export const ownerEnv = (owner: string) => {
  const prefix = `HEED_${owner.toUpperCase()}`;
  return {
    queueUrl: `${prefix}_QUEUE_URL`,
    queueArn: `${prefix}_QUEUE_ARN`,
    dlqArn: `${prefix}_DLQ_ARN`,
    roleArn: `${prefix}_SCHEDULER_ROLE_ARN`,
  } as const;
};

export class MissingConfigError extends Error {
  override readonly name = 'MissingConfigError';
}

export const requireEnv = (name: string, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[name];
  if (value === undefined || value === '')
    throw new MissingConfigError(`environment variable ${name} is not set`);
  return value;
};
