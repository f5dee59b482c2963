import { composeOwner } from '@heed/app';
import {
  DynamoSurveyStore,
  DynamoTicketStore,
  type Foundation,
  type MacPort,
  type TicketsTable,
  type TimerPort,
} from '@heed/aws';
import { createFeedbackHandler } from './feedback';
import { createFollowUpHandler } from './followup';
import type { FollowUpPorts } from './reconcile';

/** The follow-up function: the owner's stores, a scheduler, and the survey links' signer and address. */
export const composeFollowUp = (f: Foundation, port: TimerPort, ports: FollowUpPorts) =>
  createFollowUpHandler({ ...composeOwner(f, port), ...ports });

/** The public survey pages: only the tickets table, and the links' verifier. */
export const composeFeedback = (t: TicketsTable, mac: Pick<MacPort, 'verify'>) =>
  createFeedbackHandler({
    mac,
    tickets: new DynamoTicketStore(t.documents, t.ticketsTable),
    surveys: new DynamoSurveyStore(t.documents, t.ticketsTable),
    clock: t.clock,
  });
