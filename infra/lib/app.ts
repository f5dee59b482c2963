import { CONSUMERS } from '@heed/contracts';
import { App, Aspects, type StackProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DeliveryStack } from './delivery-stack';
import { FollowUpStack } from './followup-stack';
import { IntakeStack } from './intake-stack';
import { MessagingStack } from './messaging-stack';
import { OpsStack } from './ops-stack';
import { SlaStack } from './sla-stack';
import { StatefulStack } from './stateful-stack';
import { TimersStack } from './timers-stack';

export interface HeedApp {
  readonly app: App;
  readonly stateful: StatefulStack;
  readonly messaging: MessagingStack;
  readonly intake: IntakeStack;
  readonly delivery: DeliveryStack;
  readonly timers: TimersStack;
  readonly sla: SlaStack;
  readonly followUp: FollowUpStack;
  readonly ops: OpsStack;
}

/** Builds the whole Heed deployment; bin/app.ts and the CDK tests both use this. */
export const buildApp = (app: App = new App(), env?: StackProps['env']): HeedApp => {
  const props = env ? { env } : {};
  const stateful = new StatefulStack(app, 'HeedStateful', props);
  const messaging = new MessagingStack(app, 'HeedMessaging', { ...props, bus: stateful.bus });
  const surveyWafRateLimit = app.node.tryGetContext('surveyWafRateLimit') as string | number | undefined;
  const intake = new IntakeStack(app, 'HeedIntake', {
    ...props,
    ticketsTable: stateful.tables.tickets,
    tenantsTable: stateful.tables.tenants,
    bus: stateful.bus,
    feedbackKey: stateful.feedbackKey,
    ...(surveyWafRateLimit !== undefined && { surveyWafRateLimit: Number(surveyWafRateLimit) }),
  });
  const sesFromIdentity = app.node.tryGetContext('sesFromIdentity') as string | undefined;
  const delivery = new DeliveryStack(app, 'HeedDelivery', {
    ...props,
    ticketsTable: stateful.tables.tickets,
    tenantsTable: stateful.tables.tenants,
    acknowledgerQueue: messaging.consumers.acknowledger.queue,
    notifierQueue: messaging.consumers.notifier.queue,
    secretsKey: stateful.secretsKey,
    ...(sesFromIdentity && { sesFromIdentity }),
  });
  const timers = new TimersStack(app, 'HeedTimers', {
    ...props,
    ticketsTable: stateful.tables.tickets,
    owners: { sla: messaging.consumers.sla, followup: messaging.consumers.followup },
  });
  const sla = new SlaStack(app, 'HeedSla', {
    ...props,
    ticketsTable: stateful.tables.tickets,
    tenantsTable: stateful.tables.tenants,
    queue: messaging.consumers.sla.queue,
    timers: timers.targets.sla,
  });
  const followUp = new FollowUpStack(app, 'HeedFollowUp', {
    ...props,
    ticketsTable: stateful.tables.tickets,
    tenantsTable: stateful.tables.tenants,
    queue: messaging.consumers.followup.queue,
    timers: timers.targets.followup,
    feedbackKey: stateful.feedbackKey,
    // Behind a custom domain, survey links should carry it: `-c publicUrl=https://…`.
    publicUrl: (app.node.tryGetContext('publicUrl') as string | undefined) ?? intake.surveyUrl,
  });
  const csatAlarmBelow = app.node.tryGetContext('csatAlarmBelow') as string | number | undefined;
  const alarmEmail = app.node.tryGetContext('alarmEmail') as string | undefined;
  const ops = new OpsStack(app, 'HeedOps', {
    ...props,
    api: intake.api,
    functions: {
      Intake: intake.intakeFunction,
      OutboxRelay: intake.relayFunction,
      Acknowledger: delivery.acknowledgerFunction,
      Notifier: delivery.notifierFunction,
      Sla: sla.slaFunction,
      Sweeper: timers.sweeperFunction,
      FollowUp: followUp.followUpFunction,
      Feedback: intake.feedbackFunction,
    },
    queues: Object.fromEntries(CONSUMERS.map((c) => [c, messaging.consumers[c].queue])),
    deadLetterQueues: Object.fromEntries(CONSUMERS.map((c) => [`${c}-dlq`, messaging.consumers[c].dlq])),
    relay: intake.relayFunction,
    scheduleGroup: timers.group,
    ...(alarmEmail && { alarmEmail }),
    ...(csatAlarmBelow !== undefined && { csatAlarmBelow: Number(csatAlarmBelow) }),
  });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stateful, messaging, intake, delivery, timers, sla, followUp, ops };
};
