/** HTTP routes of the intake API (API Gateway HTTP API route keys). CDK and the local server use these. */
export const ROUTE_KEYS = {
  postEvents: 'POST /v1/events',
  getTicket: 'GET /v1/tickets/{ticketId}',
} as const;
export type RouteKey = (typeof ROUTE_KEYS)[keyof typeof ROUTE_KEYS];

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
