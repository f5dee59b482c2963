import {
  DynamoDeliveryStore,
  DynamoTicketStore,
  type Foundation,
  type RetryScheduler,
  type SecretOpener,
} from '@heed/aws';
import type { Clock } from '@heed/core';
import type { EmailSender, WebhookPoster } from './channels';
import { createNotifierHandler } from './notifier';

/** What the notifier sends with: in AWS the internet, KMS, SES and SQS; locally their stand-ins. */
export interface NotifierPorts {
  readonly poster: WebhookPoster;
  readonly secrets: Pick<SecretOpener, 'open'>;
  readonly email?: EmailSender;
  /** The machine's own clock: receivers check a signature's timestamp against theirs. */
  readonly wallClock: Clock;
  readonly retry: RetryScheduler;
}

/** The notifier function: the tables, and what it sends with. */
export const composeNotifier = (f: Foundation, ports: NotifierPorts) =>
  createNotifierHandler({
    deliveries: new DynamoDeliveryStore(f.documents, f.ticketsTable),
    tickets: new DynamoTicketStore(f.documents, f.ticketsTable),
    configs: f.configs,
    clock: f.clock,
    ...ports,
  });
