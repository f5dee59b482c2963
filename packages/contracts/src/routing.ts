import type { DetailType } from './outbound';
import { SOURCE } from './outbound';

/** The queue-backed consumers of the bus. Each gets one queue, one DLQ and one rule. */
export const CONSUMERS = ['acknowledger', 'sla', 'followup', 'notifier'] as const;
export type Consumer = (typeof CONSUMERS)[number];

/**
 * The routing table: which detail-types reach which consumer queue. CDK builds its rules from
 * this and the local bus routes with it, so the two cannot drift.
 */
export const ROUTES: Readonly<Record<Consumer, readonly DetailType[]>> = {
  acknowledger: ['Ticket Received', 'Ticket Reopened'],
  sla: [
    'Ticket Received',
    'Customer Replied',
    'Agent Replied',
    'Ticket Status Changed',
    'Ticket Priority Changed',
    'Ticket Assigned',
    'Ticket Reopened',
    // A low score escalates (reason low-csat).
    'Feedback Received',
  ],
  followup: ['Ticket Status Changed', 'Customer Replied', 'Feedback Received'],
  notifier: ['Delivery Requested'],
};

/** EventBridge event pattern of the rule feeding `consumer`'s queue. */
export const eventPatternFor = (consumer: Consumer): { source: string[]; 'detail-type': string[] } => ({
  source: [SOURCE],
  'detail-type': [...ROUTES[consumer]],
});
