import { DynamoReportSource, type Foundation } from '@heed/aws';
import { BearerAuthenticator } from '@heed/intake';
import { createReportsHandler } from './routes';

/**
 * An answer folds at most this many tickets: `npm run bench` measures about 3.2 s per 1,000 on
 * the local runtime (a Query per ticket), and API Gateway waits 30 s. Larger periods run on the
 * Step Functions engine.
 */
export const REPORT_ANSWER_MAX_TICKETS = 5_000;

/** The reports API function: keys checked against the tenants table, tickets found by the index. */
export const composeReports = (f: Foundation, maxTickets = REPORT_ANSWER_MAX_TICKETS) =>
  createReportsHandler({
    auth: new BearerAuthenticator(f.tenants),
    source: new DynamoReportSource(f.documents, f.ticketsTable),
    configs: f.configs,
    clock: f.clock,
    maxTickets,
  });
