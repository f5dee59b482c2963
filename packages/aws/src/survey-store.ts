import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionFailed } from './errors';
import { surveyHitsSk, surveySk, TTL_ATTRIBUTE, ticketPk } from './table-schema';

/** What the survey of one (ticket, cycle) holds: how many answers it took, and the last one. */
export interface SurveyAnswers {
  /** Answers recorded so far (each one event in the ticket's log, `…:feedback:<cycle>:<n>`). */
  readonly answers: number;
  /** A digest of the last answer's score and comment: the same answer again changes nothing. */
  readonly digest: string | null;
}

/** The survey's answer item and a per-link request counter, in the ticket's partition. */
export interface SurveyStorePort {
  answers(tenantId: string, ticketId: string, cycle: number): Promise<SurveyAnswers>;
  /** Notes that answer `n` (with `digest`) was recorded; never moves backwards. */
  recorded(tenantId: string, ticketId: string, cycle: number, n: number, digest: string): Promise<void>;
  /**
   * Counts one request on the survey link of (ticket, cycle) in the hour of `now`; false when
   * it had `limit` requests in that hour already (the page answers 429, nothing else happens).
   */
  hit(tenantId: string, ticketId: string, cycle: number, now: Date, limit: number): Promise<boolean>;
}

export class DynamoSurveyStore implements SurveyStorePort {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async answers(tenantId: string, ticketId: string, cycle: number): Promise<SurveyAnswers> {
    const out = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: ticketPk(tenantId, ticketId), sk: surveySk(cycle) },
        ConsistentRead: true,
      }),
    );
    return {
      answers: (out.Item?.answers as number | undefined) ?? 0,
      digest: (out.Item?.digest as string | undefined) ?? null,
    };
  }

  async recorded(
    tenantId: string,
    ticketId: string,
    cycle: number,
    n: number,
    digest: string,
  ): Promise<void> {
    await this.documents
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: ticketPk(tenantId, ticketId), sk: surveySk(cycle) },
          UpdateExpression: 'SET answers = :n, digest = :d, kind = :k',
          // A slower request that recorded an earlier answer never overwrites a later one.
          ConditionExpression: 'attribute_not_exists(answers) OR answers < :n',
          ExpressionAttributeValues: { ':n': n, ':d': digest, ':k': 'survey' },
        }),
      )
      .catch((error: unknown) => {
        if (!conditionFailed(error)) throw error;
      });
  }

  async hit(tenantId: string, ticketId: string, cycle: number, now: Date, limit: number): Promise<boolean> {
    const hour = now.toISOString().slice(0, 13);
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: ticketPk(tenantId, ticketId), sk: surveyHitsSk(cycle, hour) },
          UpdateExpression: 'ADD hits :one SET kind = :k, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':k': 'survey-hits',
            // The counter of an hour is of no use a day later: DynamoDB deletes it.
            ':ttl': Math.floor(now.getTime() / 1000) + 2 * 86_400,
          },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }
}
