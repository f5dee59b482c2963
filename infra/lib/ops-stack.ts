import { RELAY_ITERATOR_AGE_ALARM_SECONDS } from '@heed/aws/messaging';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Dashboard, GraphWidget, type IMetric, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { FIVE_MINUTES, heedAlarm, heedMetric, rate, search, type Watched } from './constructs/watch';

export interface OpsStackProps extends StackProps {
  readonly api: HttpApi;
  /** Functions outside the consumer services (those watch their own), by display name. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** The outbox relay: alarmed when it falls behind the tickets stream. */
  readonly relay: IFunction;
  /** The consumer services: each brings its own section of the dashboard. */
  readonly services: readonly Watched[];
  /** Where alarms go (the stateful stack's topic). */
  readonly alarmTopic: ITopic;
  /** Alarm when more than this share (%) of intake requests are 4xx. @default 20 */
  readonly clientErrorRatePercent?: number;
  /** Heed's EventBridge Scheduler group: its dropped invocations and target errors are alarmed. */
  readonly scheduleGroup?: IScheduleGroup;
}

/**
 * The ops view: one dashboard, gathering the sections the consumer services expose, and the
 * alarms of what belongs to no consumer service (the HTTP API, the outbox relay, the sweeper,
 * the survey pages, Scheduler). All alarms go to the stateful stack's topic.
 */
export class OpsStack extends Stack {
  constructor(scope: Construct, id: string, props: OpsStackProps) {
    super(scope, id, props);
    const alarm = (name: string, metric: IMetric, threshold: number, description: string) =>
      heedAlarm(this, name, props.alarmTopic, { metric, threshold, description });

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
        markdown:
          "# Heed\nIntake, routing and delivery health, then each service's section. Alarms go to the Heed alarm topic.",
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
          heedMetric('EventsAccepted', 'intake'),
          heedMetric('DuplicatesIgnored', 'intake'),
          heedMetric('Rejected', 'intake'),
          heedMetric('EventsPublished', 'outbox-relay'),
        ],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Tickets received by channel',
        left: [search('{Heed,channel,service} MetricName="TicketsReceived"')],
        width: 6,
      }),
      new GraphWidget({ title: 'Outbox relay behind the stream (ms)', left: [iteratorAge], width: 6 }),
      new GraphWidget({
        title: 'Lambda errors and throttles',
        left: fns.flatMap(([, f]) => [f.metricErrors(), f.metricThrottles()]),
        width: 6,
      }),
      new GraphWidget({
        title: 'Lambda duration p99',
        left: fns.map(([, f]) => f.metricDuration({ statistic: 'p99' })),
        width: 6,
      }),
    );
    for (const service of props.services) for (const row of service.widgets) dashboard.addWidgets(...row);
    dashboard.addWidgets(
      new TextWidget({
        markdown: '## Timers\nThe sweeper re-drives overdue timers; Scheduler delivers the rest.',
        width: 24,
        height: 2,
      }),
      new GraphWidget({
        title: 'Timers re-driven by the sweeper',
        left: [heedMetric('TimersSwept', 'sweeper')],
        width: 12,
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
              width: 12,
            }),
          ]
        : []),
    );
  }
}
