import { ENV } from '@heed/aws/env';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { GraphWidget, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { TimerOwnerService } from './constructs/timer-owner-service';
import { FIVE_MINUTES, heedMetric, search } from './constructs/watch';

export interface SlaStackProps extends StackProps {
  readonly ticketsTable: ITable;
  readonly tenantsTable: ITable;
  readonly bus: IEventBus;
  readonly group: IScheduleGroup;
  readonly alarmTopic: ITopic;
  /**
   * Alarm when more than this share (%) of the SLA clocks that ended within five minutes ended
   * breached (counted once at least ten ended). @default 25
   */
  readonly breachRatePercent?: number;
  /** Alarm when the p99 of SLA timer lag (fired − due) exceeds this. @default 120 */
  readonly timerLagP99Seconds?: number;
}

/**
 * The SLA service (DESIGN §5.1): re-folds a ticket's SLA on each of its events and when its
 * SLA timer fires, announces each crossing once, and moves the timer. Its construct owns its
 * rule, queue, DLQ, function, timers and alarms; this stack adds its grants and what it watches.
 */
export class SlaStack extends Stack {
  readonly service: TimerOwnerService;

  constructor(scope: Construct, id: string, props: SlaStackProps) {
    super(scope, id, props);
    this.service = new TimerOwnerService(this, 'Sla', {
      consumer: 'sla',
      bus: props.bus,
      group: props.group,
      alarmTopic: props.alarmTopic,
      lateMeans: 'warnings and escalations reach people late',
      ...(props.timerLagP99Seconds !== undefined && { timerLagP99Seconds: props.timerLagP99Seconds }),
      title: 'SLA',
      summary:
        'Every promise as a clock: warnings before the target, breaches at it, escalations on the ladder. "At risk": tickets whose next warning, breach or escalation step is due within 15 minutes.',
    });
    this.service.function
      // Reads the log (Query) and its timer (GetItem); commits timer, outbox and deliveries and
      // logs the ladder's actions (transactional puts); marks a dead-lettered timer (update).
      .bindTable(ENV.ticketsTable, props.ticketsTable, ['GetItem', 'Query', 'PutItem', 'UpdateItem'])
      .bindTable(ENV.tenantsTable, props.tenantsTable, ['GetItem']);

    const sla = (name: Parameters<typeof heedMetric>[0], statistic?: string) =>
      heedMetric(name, 'sla', statistic);
    const breaches = sla('SlaBreaches');
    const met = sla('SlaMet');
    this.service.alarm('BreachRate', {
      metric: new MathExpression({
        expression: 'IF(b + m >= 10, 100 * b / (b + m), 0)',
        usingMetrics: { b: breaches, m: met },
        label: 'breached %',
        period: FIVE_MINUTES,
      }),
      threshold: props.breachRatePercent ?? 25,
      description:
        'Many SLA clocks end breached: the team is behind, or the targets do not fit the staffing.',
    });
    this.service
      .addRow(
        new GraphWidget({
          title: 'SLA warnings, breaches, met',
          left: [sla('SlaWarnings'), breaches, met],
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
          left: [heedMetric('TicketsAtRisk', 'sweeper', 'Maximum')],
          width: 8,
        }),
      )
      .addRow(
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
          left: [sla('FirstResponseTime', 'p50'), sla('FirstResponseTime', 'p90')],
          width: 8,
        }),
      );
  }
}
