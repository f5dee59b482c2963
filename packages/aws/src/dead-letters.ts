import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type MessageRef, messageRef } from '@heed/contracts';
import { ACTIVITY_SK_PREFIX, ticketPk } from './table-schema';

/** One message in a dead-letter queue, described by the ids it carries (never its payload). */
export interface DeadLetter extends MessageRef {
  readonly messageId: string;
  readonly sentAt: string | null;
  readonly receiveCount: number;
  /** When and why its consumer first gave up on it, as recorded on its ticket (when looked up). */
  readonly firstFailure?: string;
}

/**
 * Adds to each dead letter the first failure its consumer recorded on the ticket when it gave up
 * (`processing.failed`: the error that sent it to the DLQ). A Query of the ticket's activity,
 * filtered, per letter: for an operator's command, not a hot path.
 */
export const withFirstFailures = async (
  letters: readonly DeadLetter[],
  consumer: string,
  tickets: { documents: DynamoDBDocumentClient; table: string } | null,
): Promise<DeadLetter[]> => {
  if (!tickets) return [...letters];
  return Promise.all(
    letters.map(async (l) => {
      if (!l.tenantId || !l.ticketId) return l;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await tickets.documents.send(
          new QueryCommand({
            TableName: tickets.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
            FilterExpression: `#type = :t AND consumer = :c${l.eventId ? ' AND eventId = :e' : ''}`,
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: {
              ':pk': ticketPk(l.tenantId, l.ticketId),
              ':p': ACTIVITY_SK_PREFIX,
              ':t': 'processing.failed',
              ':c': consumer,
              ...(l.eventId && { ':e': l.eventId }),
            },
            ExclusiveStartKey: start,
          }),
        );
        const first = (out.Items ?? [])[0] as { at?: string; reason?: string } | undefined;
        if (first?.reason) return { ...l, firstFailure: `${first.at ?? '?'} ${first.reason}` };
        start = out.LastEvaluatedKey;
      } while (start);
      return l;
    }),
  );
};

const describe = (m: Message): DeadLetter => ({
  messageId: m.MessageId ?? '',
  sentAt: m.Attributes?.SentTimestamp ? new Date(Number(m.Attributes.SentTimestamp)).toISOString() : null,
  receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
  ...messageRef(m.Body ?? ''),
});

/** How many messages a queue holds, as SQS estimates it (visible and in flight). */
export const queueDepth = async (sqs: SQSClient, url: string): Promise<number> => {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
};

/**
 * Lists up to `max` messages of a dead-letter queue without removing them: they are received
 * with a visibility timeout (so each is seen once) and made visible again at the end.
 */
export const listDeadLetters = async (sqs: SQSClient, dlqUrl: string, max = 100): Promise<DeadLetter[]> => {
  const held: Message[] = [];
  while (held.length < max) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: Math.min(10, max - held.length),
        VisibilityTimeout: 60,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (!out.Messages?.length) break;
    held.push(...out.Messages);
  }
  for (let i = 0; i < held.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: dlqUrl,
        Entries: held.slice(i, i + 10).map((m, j) => ({
          Id: String(j),
          ReceiptHandle: m.ReceiptHandle ?? '',
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
  return held.map(describe);
};

/**
 * Moves up to `max` messages from a dead-letter queue back to the queue they came from, each
 * sent before it is deleted (a crash in between leaves a duplicate, which consumers ignore:
 * every effect is idempotent by business id). Works on SQS and on the local emulator alike.
 */
export const redriveDeadLetters = async (
  sqs: SQSClient,
  dlqUrl: string,
  toUrl: string,
  max = Number.POSITIVE_INFINITY,
): Promise<DeadLetter[]> => {
  const moved: DeadLetter[] = [];
  while (moved.length < max) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: Math.min(10, max - moved.length),
        VisibilityTimeout: 60,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (!out.Messages?.length) break;
    for (const m of out.Messages) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: toUrl,
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes && { MessageAttributes: m.MessageAttributes }),
        }),
      );
      await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: m.ReceiptHandle ?? '' }));
      moved.push(describe(m));
    }
  }
  return moved;
};
