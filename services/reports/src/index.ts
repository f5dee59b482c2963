export { composeReports, REPORT_ANSWER_MAX_TICKETS } from './compose';
export { type EngineInput, engineTask, InvalidRunError, type RunStore, runKey } from './engine';
export { createReportsHandler, type ReportsDeps } from './routes';
