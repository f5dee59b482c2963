import type { Consumer } from '@heed/contracts';
import { App, Aspects, type StackProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { ConsumerService } from './constructs/consumer-service';
import { DeliveryStack } from './delivery-stack';
import { FollowUpStack } from './followup-stack';
import { IntakeStack } from './intake-stack';
import { OpsStack } from './ops-stack';
import { ReportsStack } from './reports-stack';
import { SlaStack } from './sla-stack';
import { StatefulStack } from './stateful-stack';
import { TimersStack } from './timers-stack';

export interface HeedApp {
  readonly app: App;
  readonly stateful: StatefulStack;
  readonly intake: IntakeStack;
  readonly delivery: DeliveryStack;
  readonly sla: SlaStack;
  readonly followUp: FollowUpStack;
  readonly timers: TimersStack;
  readonly ops: OpsStack;
  readonly reports: ReportsStack;
  /** Each consumer of the routing table, as the construct that owns its rule, queue, function and alarms. */
  readonly consumers: Readonly<Record<Consumer, ConsumerService>>;
}

const numberContext = (app: App, key: string): number | undefined => {
  const value = app.node.tryGetContext(key) as string | number | undefined;
  return value === undefined ? undefined : Number(value);
};

/** Builds the whole Heed deployment; bin/app.ts and the CDK tests both use this. */
export const buildApp = (app: App = new App(), env?: StackProps['env']): HeedApp => {
  const props = env ? { env } : {};
  const alarmEmail = app.node.tryGetContext('alarmEmail') as string | undefined;
  const stateful = new StatefulStack(app, 'HeedStateful', { ...props, ...(alarmEmail && { alarmEmail }) });
  const { tickets: ticketsTable, tenants: tenantsTable } = stateful.tables;
  const shared = {
    ...props,
    ticketsTable,
    tenantsTable,
    bus: stateful.bus,
    alarmTopic: stateful.alarmTopic.topic,
  };
  const surveyWafRateLimit = numberContext(app, 'surveyWafRateLimit');
  const intake = new IntakeStack(app, 'HeedIntake', {
    ...props,
    ticketsTable,
    tenantsTable,
    bus: stateful.bus,
    feedbackKey: stateful.feedbackKey,
    secretsKey: stateful.secretsKey,
    ...(surveyWafRateLimit !== undefined && { surveyWafRateLimit }),
  });
  const sesFromIdentity = app.node.tryGetContext('sesFromIdentity') as string | undefined;
  const delivery = new DeliveryStack(app, 'HeedDelivery', {
    ...shared,
    secretsKey: stateful.secretsKey,
    ...(sesFromIdentity && { sesFromIdentity }),
  });
  const sla = new SlaStack(app, 'HeedSla', { ...shared, group: stateful.group });
  const csatAlarmBelow = numberContext(app, 'csatAlarmBelow');
  const followUp = new FollowUpStack(app, 'HeedFollowUp', {
    ...shared,
    group: stateful.group,
    feedbackKey: stateful.feedbackKey,
    // Behind a custom domain, survey links should carry it: `-c publicUrl=https://…`.
    publicUrl: (app.node.tryGetContext('publicUrl') as string | undefined) ?? intake.surveyUrl,
    ...(csatAlarmBelow !== undefined && { csatAlarmBelow }),
  });
  const consumers: Record<Consumer, ConsumerService> = {
    acknowledger: delivery.acknowledger,
    notifier: delivery.notifier,
    sla: sla.service,
    followup: followUp.service,
  };
  const timers = new TimersStack(app, 'HeedTimers', {
    ...props,
    ticketsTable,
    group: stateful.group,
    owners: { sla: sla.service, followup: followUp.service },
  });
  const reports = new ReportsStack(app, 'HeedReports', {
    ...props,
    ticketsTable,
    tenantsTable,
    api: intake.api,
    alarmTopic: stateful.alarmTopic.topic,
  });
  const ops = new OpsStack(app, 'HeedOps', {
    ...props,
    api: intake.api,
    functions: {
      Intake: intake.intakeFunction,
      OutboxRelay: intake.relayFunction,
      Sweeper: timers.sweeperFunction,
      Feedback: intake.feedbackFunction,
      Reports: reports.apiFunction,
      ReportEngine: reports.engineFunction,
    },
    relay: intake.relayFunction,
    services: Object.values(consumers),
    alarmTopic: stateful.alarmTopic.topic,
    scheduleGroup: stateful.group,
  });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stateful, intake, delivery, sla, followUp, timers, ops, reports, consumers };
};
