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
  /** The SLA queue (timer firings are sent there), its DLQ, and the role Scheduler uses to send. */
  slaQueueUrl: 'HEED_SLA_QUEUE_URL',
  slaQueueArn: 'HEED_SLA_QUEUE_ARN',
  slaDlqArn: 'HEED_SLA_DLQ_ARN',
  slaSchedulerRoleArn: 'HEED_SLA_SCHEDULER_ROLE_ARN',
  /** The follow-up queue, likewise. */
  followupQueueUrl: 'HEED_FOLLOWUP_QUEUE_URL',
  followupQueueArn: 'HEED_FOLLOWUP_QUEUE_ARN',
  followupDlqArn: 'HEED_FOLLOWUP_DLQ_ARN',
  followupSchedulerRoleArn: 'HEED_FOLLOWUP_SCHEDULER_ROLE_ARN',
  /** KMS HMAC key of the survey links (the follow-up service signs, the feedback page verifies). */
  feedbackKey: 'HEED_FEEDBACK_KEY',
  /** Base URL of the public API (survey links point at `<url>/v1/feedback/<token>`). */
  publicUrl: 'HEED_PUBLIC_URL',
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
