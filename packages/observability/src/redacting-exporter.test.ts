import { SpanStatusCode } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import { RedactingSpanExporter } from './redacting-exporter.js';

/** Real SDK spans, exported through the wrapper into memory. */
function setup() {
  const memory = new tracing.InMemorySpanExporter();
  const provider = new tracing.BasicTracerProvider({
    spanProcessors: [new tracing.SimpleSpanProcessor(new RedactingSpanExporter(memory))],
  });
  return { memory, provider };
}

describe('RedactingSpanExporter', () => {
  it("keeps PostgreSQL's error text, which can quote a value, out of a failed query's span", async () => {
    const { memory, provider } = setup();
    // What instrumentation-pg 0.76 does when a query fails: error.type is the SQLSTATE, the status
    // message PostgreSQL's text, the exception event its own sanitised form.
    const span = provider.getTracer('@opentelemetry/instrumentation-pg').startSpan('pg.query:SELECT');
    span.setAttribute('error.type', '22P02');
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: 'invalid input syntax for type uuid: "alice@example.com"',
    });
    span.end();
    await provider.forceFlush();

    const [exported] = memory.getFinishedSpans();
    expect(exported?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'PostgreSQL error (code: 22P02)',
    });
    expect(JSON.stringify(exported)).not.toContain('alice@example.com');
    expect(exported?.spanContext().spanId).toBe(span.spanContext().spanId);
    expect(exported?.name).toBe('pg.query:SELECT');
  });

  it("leaves other instrumentations' spans as they are", async () => {
    const { memory, provider } = setup();
    const span = provider.getTracer('@opentelemetry/instrumentation-http').startSpan('GET');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'socket hang up' });
    span.end();
    await provider.forceFlush();
    expect(memory.getFinishedSpans()[0]?.status.message).toBe('socket hang up');
  });
});
