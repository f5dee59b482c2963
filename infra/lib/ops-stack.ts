import { RELAY_ITERATOR_AGE_ALARM_SECONDS } from '@heed/aws/messaging';
import { METRIC_NAMESPACE, type MetricName } from '@heed/contracts';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface OpsStackProps extends StackProps {
  readonly api: HttpApi;
  /** Functions to watch, by display name. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** Work queues to chart, by consumer name. */
  readonly queues: Readonly<Record<string, IQueue>>;
  /** Queues where failed work ends up: any message in one raises an alarm. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** The outbox relay: alarmed when it falls behind the tickets stream. */
  readonly relay: IFunction;
  /**
   * Alarm when the oldest message of a work queue is older than this many seconds: work is stuck
   * even though nothing reached a DLQ yet. Above the longest intended wait (notifier backoff
   * totals 7.5 min; timers may be delayed up to 15 min on the SLA and follow-up queues).
   * @default 1200 (20 minutes); 2400 for the sla and followup queues
   */
  readonly oldestMessageSeconds?: Readonly<Record<string, number>>;
  /** Subscribes this address to the alarm topic. @default no subscription */
  readonly alarmEmail?: string;
  /** Alarm when more than this share (%) of intake requests are 4xx. @default 20 */
  readonly clientErrorRatePercent?: number;
  /** Alarm when the p99 from receiving a ticket to delivering its acknowledgement exceeds this. @default 120 */
  readonly acknowledgementLatencyP99Seconds?: number;
  /** Alarm when this many delivery attempts fail within five minutes. @default 5 */
  readonly deliveryFailuresPerFiveMinutes?: number;
  /** Heed's EventBridge Scheduler group: its dropped invocations and target errors are alarmed. */
  readonly scheduleGroup?: IScheduleGroup;
  /** Alarm when the p99 of timer lag (fired − due) exceeds this. @default 120 */
  readonly timerLagP99Seconds?: number;
  /**
   * Alarm when more than this share (%) of the SLA clocks that ended within five minutes ended
   * breached (counted once at least ten ended). @default 25
   */
  readonly breachRatePercent?: number;
  /**
   * Alarm when the average survey score of a day falls below this (1–5; counted once at least
   * ten surveys were answered). @default no CSAT alarm (context `csatAlarmBelow`)
   */
  readonly csatAlarmBelow?: number;
}

const FIVE_MINUTES = Duration.minutes(5);

const heed = (metricName: MetricName, service: string, statistic = 'Sum'): Metric =>
  new Metric({
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensionsMap: { service },
    statistic,
    period: FIVE_MINUTES,
  });

/** Share of `part` in `whole`, in percent, defined as 0 when there was no traffic. */
const rate = (part: IMetric, whole: IMetric, label: string): MathExpression =>
  new MathExpression({
    expression: 'IF(whole > 0, 100 * part / whole, 0)',
    usingMetrics: { part, whole },
    label,
    period: FIVE_MINUTES,
  });

/** The ops view: one dashboard, and alarms to one SNS topic. */
export class OpsStack extends Stack {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OpsStackProps) {
    super(scope, id, props);

    // A customer-managed key: CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key.
    const key = new Key(this, 'AlarmTopicKey', { enableKeyRotation: true, description: 'Heed alarm topic' });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy "*" means this key
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      masterKey: key,
      enforceSSL: true,
      displayName: 'Heed alarms',
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);
    const alarm = (
      name: string,
      metric: IMetric,
      threshold: number,
      description: string,
      comparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    ) => {
      const a = new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms.push(a);
      return a;
    };

    const requests = props.api.metricCount({ period: FIVE_MINUTES });
    const clientErrors = props.api.metricClientError({ period: FIVE_MINUTES });
    const serverErrors = props.api.metricServerError({ period: FIVE_MINUTES });
    alarm(
      'IntakeClientErrorRate',
      rate(clientErrors, requests, 'intake 4xx %'),
      props.clientErrorRatePercent ?? 20,
      'Many intake requests are rejected (4xx): a producer is misconfigured or its key was revoked.',
    );
    alarm(
      'IntakeServerErrorRate',
      rate(serverErrors, requests, 'intake 5xx %'),
      1,
      'Intake answers 5xx: producers are retrying and requests may be waiting.',
    );

    const ackLatencyP99 = heed('AcknowledgementLatency', 'notifier', 'p99');
    const deliveryFailures = heed('DeliveryFailures', 'notifier');
    alarm(
      'AcknowledgementLatencyP99',
      ackLatencyP99,
      (props.acknowledgementLatencyP99Seconds ?? 120) * 1000,
      'Customers wait too long for the acknowledgement of their request (p99, received to delivered).',
    );
    alarm(
      'DeliveryFailures',
      deliveryFailures,
      props.deliveryFailuresPerFiveMinutes ?? 5,
      'Tenant endpoints are refusing deliveries; they are being retried with backoff.',
    );

    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(
        `${name}ErrorRate`,
        rate(
          fn.metricErrors({ period: FIVE_MINUTES }),
          fn.metricInvocations({ period: FIVE_MINUTES }),
          `${name} errors %`,
        ),
        1,
        `${name} is failing invocations.`,
      );
    }
    for (const [name, queue] of Object.entries(props.queues)) {
      const fallback = name === 'sla' || name === 'followup' ? 2400 : 1200;
      alarm(
        `${name}OldestMessage`,
        queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        props.oldestMessageSeconds?.[name] ?? fallback,
        `Work is waiting too long in the ${name} queue: its consumer is failing, throttled or stopped.`,
      );
    }
    const iteratorAge = props.relay.metric('IteratorAge', {
      period: Duration.minutes(1),
      statistic: 'Maximum',
    });
    alarm(
      'OutboxRelayIteratorAge',
      iteratorAge,
      RELAY_ITERATOR_AGE_ALARM_SECONDS * 1000,
      'The outbox relay is behind the tickets stream: accepted events are not reaching the bus. Records leave the stream after 24 h (then they are kept in the S3 failure bucket; run heed outbox redrive).',
    );
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        1,
        `Messages reached ${name}: work that failed every retry. Inspect and redrive.`,
      );
    }

    // SLA: the promises themselves, and the timers that watch them.
    const breaches = heed('SlaBreaches', 'sla');
    const met = heed('SlaMet', 'sla');
    const breachRate = new MathExpression({
      expression: 'IF(b + m >= 10, 100 * b / (b + m), 0)',
      usingMetrics: { b: breaches, m: met },
      label: 'breached %',
      period: FIVE_MINUTES,
    });
    const timerLagP99 = heed('TimerLag', 'sla', 'p99');
    alarm(
      'SlaBreachRate',
      breachRate,
      props.breachRatePercent ?? 25,
      'Many SLA clocks end breached: the team is behind, or the targets do not fit the staffing.',
    );
    alarm(
      'SlaTimerLagP99',
      timerLagP99,
      (props.timerLagP99Seconds ?? 120) * 1000,
      'SLA timers fire late (p99 of fired - due): warnings and escalations reach people late. Check the SLA queue, its function and Scheduler.',
    );
    alarm(
      'FollowUpTimerLagP99',
      heed('TimerLag', 'followup', 'p99'),
      (props.timerLagP99Seconds ?? 120) * 1000,
      'Follow-up timers fire late (p99 of fired - due): surveys, reminders and closes go out late. Check the follow-up queue, its function and Scheduler.',
    );
    // Follow-ups: what customers say once it is "solved".
    const ONE_DAY = Duration.days(1);
    const daily = (metricName: MetricName, statistic = 'Sum') =>
      new Metric({
        namespace: METRIC_NAMESPACE,
        metricName,
        dimensionsMap: { service: 'followup' },
        statistic,
        period: ONE_DAY,
      });
    const csatAverage = new MathExpression({
      // Defined as a neutral 5 until ten answers make an average worth alarming on.
      expression: 'IF(n >= 10, s / n, 5)',
      usingMetrics: { s: daily('CsatScore'), n: daily('SurveysAnswered') },
      label: 'CSAT average (1-5)',
      period: ONE_DAY,
    });
    if (props.csatAlarmBelow !== undefined)
      alarm(
        'CsatAverageLow',
        csatAverage,
        props.csatAlarmBelow,
        'The average survey score of the last day fell below the configured value: read the low-score escalations and comments.',
        ComparisonOperator.LESS_THAN_THRESHOLD,
      );
    if (props.scheduleGroup) {
      alarm(
        'SchedulerInvocationsDropped',
        props.scheduleGroup.metricDropped({ period: FIVE_MINUTES, statistic: 'Sum' }),
        1,
        'EventBridge Scheduler dropped timer firings after every retry; the sweeper re-drives overdue timers, but look at why.',
      );
      alarm(
        'SchedulerTargetErrors',
        props.scheduleGroup.metricTargetErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        5,
        'EventBridge Scheduler cannot deliver timer firings to their queues (permissions, a deleted queue, throttling).',
      );
    }

    const dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(6) });
    const fns = Object.entries(props.functions);
    dashboard.addWidgets(
      new TextWidget({
        markdown: '# Heed\nIntake, routing and delivery health. Alarms go to the Heed alarm topic.',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'Intake requests', left: [requests, clientErrors, serverErrors], width: 8 }),
      new GraphWidget({
        title: 'Intake latency',
        left: [
          props.api.metricLatency({ statistic: 'p50', period: FIVE_MINUTES }),
          props.api.metricLatency({ statistic: 'p99', period: FIVE_MINUTES }),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: 'Events',
        left: [
          heed('EventsAccepted', 'intake'),
          heed('DuplicatesIgnored', 'intake'),
          heed('Rejected', 'intake'),
          heed('EventsPublished', 'outbox-relay'),
        ],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Tickets received by channel',
        left: [
          new MathExpression({
            expression: `SEARCH('{Heed,channel,service} MetricName="TicketsReceived"', 'Sum', 300)`,
            label: '',
            period: FIVE_MINUTES,
          }),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: 'Lambda errors and throttles',
        left: fns.flatMap(([, f]) => [f.metricErrors(), f.metricThrottles()]),
        width: 8,
      }),
      new GraphWidget({
        title: 'Lambda duration p99',
        left: fns.map(([, f]) => f.metricDuration({ statistic: 'p99' })),
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Acknowledgement latency (received → delivered)',
        left: [heed('AcknowledgementLatency', 'notifier', 'p50'), ackLatencyP99],
        width: 8,
      }),
      new GraphWidget({
        title: 'Acknowledgements sent by locale',
        left: [
          new MathExpression({
            expression: `SEARCH('{Heed,channel,locale,service} MetricName="AcknowledgementsSent"', 'Sum', 300)`,
            label: '',
            period: FIVE_MINUTES,
          }),
        ],
        width: 8,
      }),
      new GraphWidget({ title: 'Delivery failures', left: [deliveryFailures], width: 8 }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Queue depth',
        left: Object.entries(props.queues).map(([n, q]) =>
          q.metricApproximateNumberOfMessagesVisible({ label: n }),
        ),
        right: Object.entries(props.queues).map(([n, q]) =>
          q.metricApproximateAgeOfOldestMessage({ label: `${n} oldest (s)` }),
        ),
        width: 10,
      }),
      new GraphWidget({
        title: 'Outbox relay behind the stream (ms)',
        left: [iteratorAge],
        width: 6,
      }),
      new GraphWidget({
        title: 'Dead letters',
        left: Object.entries(props.deadLetterQueues).map(([n, q]) =>
          q.metricApproximateNumberOfMessagesVisible({ label: n, statistic: 'Maximum' }),
        ),
        width: 8,
      }),
    );
    const search = (expression: string) =>
      new MathExpression({
        expression: `SEARCH('${expression}', 'Sum', 300)`,
        label: '',
        period: FIVE_MINUTES,
      });
    dashboard.addWidgets(
      new TextWidget({
        markdown:
          '## SLA\nEvery promise as a clock: warnings before the target, breaches at it, escalations on the ladder. "At risk": tickets whose next warning, breach or escalation step is due within 15 minutes.',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'SLA warnings, breaches, met',
        left: [heed('SlaWarnings', 'sla'), breaches, met],
        width: 8,
      }),
      new GraphWidget({
        title: 'SLA met % (of clocks that ended)',
        left: [
          new MathExpression({
            expression: 'IF(b + m > 0, 100 * m / (b + m), 100)',
            usingMetrics: { b: breaches, m: met },
            label: 'met %',
            period: FIVE_MINUTES,
          }),
        ],
        leftYAxis: { min: 0, max: 100 },
        width: 8,
      }),
      new GraphWidget({
        title: 'Tickets at risk',
        left: [heed('TicketsAtRisk', 'sweeper', 'Maximum')],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Escalations by reason',
        left: [search('{Heed,reason,service} MetricName="Escalations"')],
        width: 8,
      }),
      new GraphWidget({
        title: 'Breaches by clock',
        left: [search('{Heed,clock,service} MetricName="SlaBreaches"')],
        width: 8,
      }),
      new GraphWidget({
        title: 'First response time (s, business time)',
        left: [heed('FirstResponseTime', 'sla', 'p50'), heed('FirstResponseTime', 'sla', 'p90')],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Timer lag (fired - due, ms)',
        left: [heed('TimerLag', 'sla', 'p50'), timerLagP99, heed('TimerLag', 'followup', 'p99')],
        width: 8,
      }),
      new GraphWidget({
        title: 'Timers re-driven by the sweeper',
        left: [heed('TimersSwept', 'sweeper')],
        width: 8,
      }),
      ...(props.scheduleGroup
        ? [
            new GraphWidget({
              title: 'Scheduler',
              left: [
                props.scheduleGroup.metricAttempts({ period: FIVE_MINUTES }),
                props.scheduleGroup.metricTargetErrors({ period: FIVE_MINUTES }),
                props.scheduleGroup.metricDropped({ period: FIVE_MINUTES }),
                props.scheduleGroup.metricSentToDLQ({ period: FIVE_MINUTES }),
              ],
              width: 8,
            }),
          ]
        : []),
    );
    const followUp = (metricName: MetricName, statistic = 'Sum') => heed(metricName, 'followup', statistic);
    dashboard.addWidgets(
      new TextWidget({
        markdown:
          '## Follow-ups\nAfter "solved": surveys at a decent hour in the customer\'s zone, reminders while waiting on the customer, auto-closes, reopens. CSAT counts the first answer of each survey.',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'CSAT average (1-5, daily)',
        left: [
          new MathExpression({
            expression: 'IF(n > 0, s / n, 0)',
            usingMetrics: { s: daily('CsatScore'), n: daily('SurveysAnswered') },
            label: 'CSAT average',
            period: ONE_DAY,
          }),
        ],
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
