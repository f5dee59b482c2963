/** HTTP routes of the intake API (API Gateway HTTP API route keys). CDK and the local server use these. */
export const ROUTE_KEYS = {
  postEvents: 'POST /v1/events',
  getTicket: 'GET /v1/tickets/{ticketId}',
  /** A helpdesk's or chat tool's own webhook, verified with its connector's secret (no API key). */
  connector: 'POST /v1/connectors/{connectorId}',
} as const;
export type RouteKey = (typeof ROUTE_KEYS)[keyof typeof ROUTE_KEYS];

/** The reports (an API key; their own function, with a longer timeout and more memory). */
export const REPORT_ROUTE_KEYS = {
  sla: 'GET /v1/reports/sla',
  whatIf: 'POST /v1/reports/sla/whatif',
} as const;

/**
 * The public routes: no API key, served by their own function with their own throttling. The
 * survey pages (the token in the path is the credential; GET shows the page, POST takes the
 * form) and the OpenAPI document (a client reads it before it has a key).
 */
export const FEEDBACK_ROUTE_KEYS = {
  show: 'GET /v1/feedback/{token}',
  answer: 'POST /v1/feedback/{token}',
  openApi: 'GET /v1/openapi.json',
} as const;

/** Per-event outcome reported by `POST /v1/events`. */
export interface EventResult {
  readonly index: number;
  readonly id: string | null;
  /**
   * accepted / duplicate (same id and body again: no effect) / rejected (invalid: fix it) /
   * conflict (the id was used before for another event) / failed (Heed could not record it now:
   * retry, it is idempotent).
   */
  readonly status: 'accepted' | 'duplicate' | 'rejected' | 'conflict' | 'failed';
  readonly ticketId?: string;
  readonly reference?: string;
  readonly errors?: readonly { path: string; message: string }[];
}
