import { ENV } from '@heed/aws/env';
import type { MetricName } from '@heed/contracts';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { ComparisonOperator, GraphWidget, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { TimerOwnerService } from './constructs/timer-owner-service';
import { FIVE_MINUTES, heedMetric, search } from './constructs/watch';

export interface FollowUpStackProps extends StackProps {
  readonly ticketsTable: ITable;
  readonly tenantsTable: ITable;
  readonly bus: IEventBus;
  readonly group: IScheduleGroup;
  readonly alarmTopic: ITopic;
  /** Signs the survey links. */
  readonly feedbackKey: IKey;
  /** Base URL of the public API the survey links point at. */
  readonly publicUrl: string;
  /** Alarm when the p99 of follow-up timer lag (fired − due) exceeds this. @default 120 */
  readonly timerLagP99Seconds?: number;
  /**
   * Alarm when the average survey score of a day falls below this (1–5; counted once at least
   * ten surveys were answered). @default no CSAT alarm (context `csatAlarmBelow`)
   */
  readonly csatAlarmBelow?: number;
}

const ONE_DAY = Duration.days(1);

/**
 * The follow-up service (DESIGN §5.2): re-folds a ticket's follow-ups on its status changes,
 * messages and feedback and when its follow-up timer fires; sends surveys and reminders,
 * closes, reopens and opens linked tickets, and moves the timer.
 */
export class FollowUpStack extends Stack {
  readonly service: TimerOwnerService;

  constructor(scope: Construct, id: string, props: FollowUpStackProps) {
    super(scope, id, props);
    this.service = new TimerOwnerService(this, 'FollowUp', {
      consumer: 'followup',
      bus: props.bus,
      group: props.group,
      alarmTopic: props.alarmTopic,
      lateMeans: 'surveys, reminders and closes go out late',
      ...(props.timerLagP99Seconds !== undefined && { timerLagP99Seconds: props.timerLagP99Seconds }),
      title: 'Follow-ups',
      summary:
        'After "solved": surveys at a decent hour in the customer\'s zone, reminders while waiting on the customer, auto-closes, reopens. CSAT counts the first answer of each survey.',
    });
    const fn = this.service.function
      // Reads the log (Query) and its timer (GetItem); commits timer, outbox and deliveries, and
      // logs closes, reopens and linked openings through the write path (transactional puts);
      // marks a dead-lettered timer (update).
      .bindTable(ENV.ticketsTable, props.ticketsTable, ['GetItem', 'Query', 'PutItem', 'UpdateItem'])
      .bindTable(ENV.tenantsTable, props.tenantsTable, ['GetItem']);
    fn.addEnvironment(ENV.feedbackKey, props.feedbackKey.keyArn);
    fn.addEnvironment(ENV.publicUrl, props.publicUrl);
    props.feedbackKey.grant(fn, 'kms:GenerateMac');

    const followUp = (name: MetricName, statistic?: string) => heedMetric(name, 'followup', statistic);
    const daily = (name: MetricName) => heedMetric(name, 'followup', 'Sum', ONE_DAY);
    const average = (expression: string, label: string) =>
      new MathExpression({
        expression,
        usingMetrics: { s: daily('CsatScore'), n: daily('SurveysAnswered') },
        label,
        period: ONE_DAY,
      });
    if (props.csatAlarmBelow !== undefined)
      this.service.alarm('CsatAverageLow', {
        // Defined as a neutral 5 until ten answers make an average worth alarming on.
        metric: average('IF(n >= 10, s / n, 5)', 'CSAT average (1-5)'),
        threshold: props.csatAlarmBelow,
        description:
          'The average survey score of the last day fell below the configured value: read the low-score escalations and comments.',
        comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      });
    this.service.addRow(
      new GraphWidget({
        title: 'CSAT average (1-5, daily)',
        left: [average('IF(n > 0, s / n, 0)', 'CSAT average')],
        leftYAxis: { min: 1, max: 5 },
        width: 6,
      }),
      new GraphWidget({
        title: 'Survey answers by score',
        left: [search('{Heed,score,service} MetricName="CsatResponses"')],
        stacked: true,
        width: 6,
      }),
      new GraphWidget({
        title: 'Answer rate and reopen rate (%)',
        left: [
          new MathExpression({
            expression: 'IF(sent > 0, 100 * answered / sent, 0)',
            usingMetrics: { answered: followUp('SurveysAnswered'), sent: followUp('SurveysSent') },
            label: 'surveys answered %',
            period: FIVE_MINUTES,
          }),
          new MathExpression({
            expression: 'IF(solved > 0, 100 * reopened / solved, 0)',
            usingMetrics: { reopened: followUp('Reopened'), solved: followUp('TicketsSolved') },
            label: 'reopened % of solves',
            period: FIVE_MINUTES,
          }),
        ],
        leftYAxis: { min: 0 },
        width: 6,
      }),
      new GraphWidget({
        title: 'Follow-ups sent, auto-closed, linked',
        left: [
          search('{Heed,kind,service} MetricName="FollowUpsSent"'),
          followUp('AutoClosed'),
          followUp('LinkedTicketsOpened'),
        ],
        width: 6,
      }),
    );
  }
}
