/** What a log line may say about an error: its name and message, never its payload. */
export const errorSummary = (error: unknown): { name: string; message: string } =>
  error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Unknown', message: String(error) };

/** A DynamoDB write whose condition did not hold (not an error of Heed's: what the condition was for). */
export const conditionFailed = (error: unknown): boolean =>
  (error as Error).name === 'ConditionalCheckFailedException';

/** `write`, true when it was made, false when its condition did not hold; other errors are thrown. */
export const unlessConditionFailed = (write: Promise<unknown>): Promise<boolean> =>
  write.then(
    () => true,
    (error: unknown) => {
      if (conditionFailed(error)) return false;
      throw error;
    },
  );

const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
]);

/**
 * An AWS failure that a retry of the whole request may not meet again (throttling, a 5xx, a
 * timeout, an injected fault): answered 503 with Retry-After, not 500. Every write is idempotent,
 * so the client's retry is safe.
 */
export const isTransientError = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  return (
    e.$retryable !== undefined ||
    (e.$metadata?.httpStatusCode ?? 0) >= 500 ||
    TRANSIENT_NAMES.has(e.name) ||
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up/.test(e.message)
  );
};
