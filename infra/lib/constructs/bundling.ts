/**
 * How every Lambda is bundled: ESM for Node 24 by the local esbuild, minified, with source maps,
 * and the AWS SDK v3 left to the Lambda runtime (CDK's default for Node 18+). ServiceFunction
 * passes these to NodejsFunction; the benchmark builds with the same options to report sizes.
 */
export const BUNDLING = {
  format: 'esm',
  target: 'node24',
  minify: true,
  sourceMap: true,
  mainFields: ['module', 'main'],
  /** Provided by the nodejs24.x runtime. */
  externalModules: ['@aws-sdk/*'],
  // ESM bundles of CommonJS dependencies still call require(); give them one.
  banner:
    "import { createRequire as __heedCreateRequire } from 'node:module'; const require = __heedCreateRequire(import.meta.url);",
} as const;

/** The handler module of each deployed function. */
export const FUNCTION_ENTRIES: Readonly<Record<string, { service: string; handlerFile: string }>> = {
  intake: { service: 'intake', handlerFile: 'handler.ts' },
  'outbox-relay': { service: 'intake', handlerFile: 'relay-handler.ts' },
  acknowledger: { service: 'acknowledger', handlerFile: 'handler.ts' },
  notifier: { service: 'notifier', handlerFile: 'handler.ts' },
  sla: { service: 'sla', handlerFile: 'handler.ts' },
  sweeper: { service: 'sweeper', handlerFile: 'handler.ts' },
  followup: { service: 'followup', handlerFile: 'handler.ts' },
  feedback: { service: 'followup', handlerFile: 'feedback-handler.ts' },
};
