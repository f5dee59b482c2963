/**
 * Queue settings shared by CDK and the local runtime, so redrive behaves the same in both.
 * A message that fails this many receives moves to the consumer's DLQ.
 */
export const MAX_RECEIVE_COUNT = 5;
/** Records a Lambda gets per SQS poll. */
export const SQS_BATCH_SIZE = 10;
/**
 * Outbox relay: retry a failed stream record until it leaves the stream (-1: no limit, and no
 * maximum record age), so an accepted event is never dropped while the bus is merely down.
 */
export const STREAM_RETRY_ATTEMPTS = -1;
/** Alarm when the relay falls this far behind the tickets stream (24 h retention). */
export const RELAY_ITERATOR_AGE_ALARM_SECONDS = 300;
