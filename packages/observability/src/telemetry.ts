import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { RedactingSpanExporter } from './redacting-exporter.js';
import { redactSqlLiterals } from './sql.js';

export interface TelemetryOptions {
  service: string;
  /** OTLP/HTTP endpoint (e.g. http://otel-collector:4318). Tracing stays off when unset. */
  otlpEndpoint?: string | undefined;
}

/**
 * PostgreSQL queries as CLIENT spans under the span that ran them (a request, a gRPC call, a
 * message). Queries with no span around them (pool upkeep, the outbox relay's polling) start no
 * trace of their own, and connects are not spans. Query values stay out of spans: bound parameters
 * are not recorded, and the statement text is kept with its literals redacted, because MikroORM
 * sends its values inlined (emails, password hashes, token hashes); a failed query's status message
 * (PostgreSQL's text, which can quote a value) is reduced to its code on export (RedactingSpanExporter).
 */
function pgInstrumentation(): PgInstrumentation {
  return new PgInstrumentation({
    requireParentSpan: true,
    ignoreConnectSpans: true,
    enhancedDatabaseReporting: false,
    requestHook: (span, { query }) => span.setAttribute('db.query.text', redactSqlLiterals(query.text)),
  });
}

/** The SDK this process started, if tracing is on. */
let started: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry SDK. Call it first in a service's index.ts, before the modules it
 * instruments are imported: `http` and `pg` are patched as they are first required (pg by knex,
 * CommonJS, so no ESM loader hook is needed). Returns a shutdown function (a no-op when tracing is
 * off); the services' signal handlers call `flushTelemetry` instead, which does the same.
 */
export function startTelemetry({ service, otlpEndpoint }: TelemetryOptions): () => Promise<void> {
  if (!otlpEndpoint) return async () => undefined;
  const sdk = new NodeSDK({
    serviceName: service,
    traceExporter: new RedactingSpanExporter(
      new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/$/, '')}/v1/traces` }),
    ),
    // Traces only: metrics are prom-client's, scraped from /metrics, and logs are pino's. Without these
    // the SDK would also push its own metrics and logs to the collector (OTEL_METRICS_EXPORTER's and
    // OTEL_LOGS_EXPORTER's default, otlp).
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => req.url === '/metrics' }),
      pgInstrumentation(),
    ],
  });
  sdk.start();
  started = sdk;
  return () => sdk.shutdown();
}

/**
 * Exports the spans still buffered (the batch processor sends every few seconds, so the last
 * requests before a SIGTERM would otherwise be lost) and stops tracing. Called by the shutdown paths
 * just before the process exits; bounded, so an unreachable collector cannot hold the exit up.
 */
export async function flushTelemetry(timeoutMs = 3_000): Promise<void> {
  const sdk = started;
  started = undefined;
  if (sdk === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    sdk.shutdown().catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]).finally(() => clearTimeout(timer));
}
