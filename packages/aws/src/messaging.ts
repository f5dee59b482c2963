/**
 * Queue settings shared by CDK and the local runtime, so redrive behaves the same in both.
 * A message that fails this many receives moves to the consumer's DLQ.
 */
export const MAX_RECEIVE_COUNT = 5;
/** Records a Lambda gets per SQS poll. */
export const SQS_BATCH_SIZE = 10;
/** Outbox relay: stream retries per record before it goes to the relay's failure queue. */
export const STREAM_RETRY_ATTEMPTS = 10;
