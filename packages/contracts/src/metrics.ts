/**
 * Heed's custom metrics (namespace `Heed`, dimension `service` and, where noted, one more): the
 * services record them and the ops stack alarms on them and draws them, both by these names.
 */
export const METRIC_NAMES = [
  // intake and the outbox relay
  'EventsAccepted',
  'DuplicatesIgnored',
  'Rejected',
  'TicketsReceived',
  'EventsPublished',
  // connectors: a product's webhook Heed could not map (by provider)
  'ConnectorIgnored',
  // acknowledgements and deliveries
  'AcknowledgementsSent',
  'AcknowledgementLatency',
  'DeliveryFailures',
  // SLA
  'SlaWarnings',
  'SlaBreaches',
  'SlaMet',
  'Escalations',
  'FirstResponseTime',
  'TimerLag',
  // the sweeper
  'TimersSwept',
  'TicketsAtRisk',
  // follow-ups and surveys
  'FollowUpsSent',
  'SurveysSent',
  'SurveysAnswered',
  'FeedbackClicks',
  'CsatScore',
  'CsatResponses',
  'TicketsSolved',
  'Reopened',
  'AutoClosed',
  'LinkedTicketsOpened',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** The metric namespace of every Heed function. */
export const METRIC_NAMESPACE = 'Heed';
