import { DynamoReportSource, type Foundation } from '@heed/aws';
import { BearerAuthenticator } from '@heed/intake';
import { createReportsHandler } from './routes';

/** An answer folds at most this many tickets (measured: about 1,000 per second; API Gateway waits 30). */
export const REPORT_ANSWER_MAX_TICKETS = 10_000;

/** The reports API function: keys checked against the tenants table, tickets found by the index. */
export const composeReports = (f: Foundation, maxTickets = REPORT_ANSWER_MAX_TICKETS) =>
  createReportsHandler({
    auth: new BearerAuthenticator(f.tenants),
    source: new DynamoReportSource(f.documents, f.ticketsTable),
    configs: f.configs,
    clock: f.clock,
    maxTickets,
  });
