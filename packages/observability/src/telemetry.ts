import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

export interface TelemetryOptions {
  service: string;
  /** OTLP/HTTP endpoint (e.g. http://otel-collector:4318). Tracing stays off when unset. */
  otlpEndpoint?: string | undefined;
}

/**
 * Starts the OpenTelemetry SDK. Call it first in a service's index.ts, before the modules it
 * instruments are imported. Returns a shutdown function (a no-op when tracing is off).
 */
export function startTelemetry({ service, otlpEndpoint }: TelemetryOptions): () => Promise<void> {
  if (!otlpEndpoint) return async () => undefined;
  const sdk = new NodeSDK({
    serviceName: service,
    traceExporter: new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/$/, '')}/v1/traces` }),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => req.url === '/metrics' }),
    ],
  });
  sdk.start();
  return () => sdk.shutdown();
}
