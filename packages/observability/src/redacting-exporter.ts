import type { tracing } from '@opentelemetry/sdk-node';

const PG_SCOPE = '@opentelemetry/instrumentation-pg';

/**
 * A failed query's span as it may leave the process: the pg instrumentation sets its status message to
 * PostgreSQL's own error text, which can quote the offending value (`invalid input syntax for type
 * uuid: "..."`, a malformed email, part of a token). The exception event it records is already
 * reduced to the error's type and code; the status is reduced the same way here. Other spans pass
 * unchanged.
 */
export function redactSpan(span: tracing.ReadableSpan): tracing.ReadableSpan {
  if (span.instrumentationScope.name !== PG_SCOPE || !span.status.message) return span;
  const code = span.attributes['error.type'];
  const message = `PostgreSQL error${typeof code === 'string' ? ` (code: ${code})` : ''}`;
  // The span's own methods (spanContext) and fields stay reachable through the prototype.
  return Object.create(span, { status: { value: { ...span.status, message }, enumerable: true } });
}

/** Wraps the exporter that sends spans out, so that every span passes redactSpan first. */
export class RedactingSpanExporter implements tracing.SpanExporter {
  constructor(private readonly inner: tracing.SpanExporter) {}

  export(spans: tracing.ReadableSpan[], done: Parameters<tracing.SpanExporter['export']>[1]): void {
    this.inner.export(spans.map(redactSpan), done);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
