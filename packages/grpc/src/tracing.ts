import type { Interceptor } from '@connectrpc/connect';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapGetter,
} from '@opentelemetry/api';
import { grpcCodeName } from './metrics.js';

/*
 * W3C trace context over gRPC metadata: the client injects `traceparent`/`tracestate` of the active
 * span, the server continues the trace in a SERVER span. With no SDK started (tracing off) the API is
 * a no-op, as in packages/bus.
 */

const tracer = trace.getTracer('@platform/grpc');

const headerGetter: TextMapGetter<Headers> = {
  keys: (carrier) => [...carrier.keys()],
  get: (carrier, key) => carrier.get(key) ?? undefined,
};

/** Client: the active trace context rides along in the request headers. */
export function clientTraceInterceptor(): Interceptor {
  return (next) => (req) => {
    propagation.inject(context.active(), req.header, {
      set: (carrier, key, value) => carrier.set(key, value),
    });
    return next(req);
  };
}

/** Server: each call runs in a SERVER span whose parent is the caller's span. */
export function serverTraceInterceptor(): Interceptor {
  return (next) => (req) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.header, headerGetter);
    const name = `${req.service.typeName}/${req.method.name}`;
    return tracer.startActiveSpan(
      name,
      { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'grpc' } },
      parent,
      async (span) => {
        try {
          return await next(req);
        } catch (error) {
          span.setAttribute('rpc.grpc.status_code', grpcCodeName(error));
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  };
}
