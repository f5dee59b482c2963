/** What a log line may say about an error: its name and message, never its payload. */
export const errorSummary = (error: unknown): { name: string; message: string } =>
  error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Unknown', message: String(error) };

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
