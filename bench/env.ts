/**
 * Quiets the handlers' observability before any handler module is imported: the benchmark
 * measures DynamoDB calls and latency, not log or EMF output (Powertools reads these at import).
 */
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
