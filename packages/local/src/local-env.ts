// Imported first by the local entry points: Powertools reads these when its singletons are built.
// Locally metrics are observed in-process (no EMF on stdout) and there is no X-Ray daemon.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.HEED_LOG_LEVEL ?? 'WARN';
process.env.AWS_REGION ??= 'us-east-1';
// Lambda runs Node 22+; the SDK's notice about Node 20 is noise on a developer machine.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
