import http from 'node:http';
import { context, propagation, trace } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export type { ReadableSpan };

/** Spans recorded in memory by a tracer provider registered for one test file. */
export interface TraceCapture {
  /** Every span ended so far. */
  spans(): ReadableSpan[];
  /** Unregisters the provider and the HTTP patch, so later test files in this worker start clean. */
  stop(): Promise<void>;
}

/**
 * Registers a tracer provider with an in-memory exporter, the W3C propagator and the async-local-storage
 * context manager, and traces incoming HTTP requests as SERVER spans, as `startTelemetry` does in a
 * service.
 */
export function captureTraces(): TraceCapture {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  const instrumentation = new HttpInstrumentation({
    enabled: false,
    disableOutgoingRequestInstrumentation: true,
  });
  instrumentation.setTracerProvider(provider);
  // The instrumentation patches `http` from a require hook on node's Module, which jest's module registry
  // never calls: apply its patch to the process's `http` (the module every server in this process uses).
  const definitions = instrumentation.getModuleDefinitions().filter((d) => d.name === 'http');
  for (const definition of definitions) definition.patch?.(http);
  return {
    spans: () => exporter.getFinishedSpans(),
    async stop() {
      for (const definition of definitions) definition.unpatch?.(http);
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
