import type { Interceptor, StreamRequest, StreamResponse, UnaryRequest } from '@connectrpc/connect';
import {
  context,
  type Attributes,
  type Span,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapGetter,
} from '@opentelemetry/api';
import { grpcCodeName, observeEnd } from './metrics.js';

/*
 * W3C trace context over gRPC metadata: the client opens a CLIENT span and injects its
 * `traceparent`/`tracestate`, the server continues the trace in a SERVER span. With no SDK started
 * (tracing off) the API is a no-op, as in packages/bus.
 */

const tracer = trace.getTracer('@platform/grpc');

const headerGetter: TextMapGetter<Headers> = {
  keys: (carrier) => [...carrier.keys()],
  get: (carrier, key) => carrier.get(key) ?? undefined,
};

/** What both sides say about a call: OpenTelemetry's RPC attributes. */
function rpcAttributes(req: UnaryRequest | StreamRequest): Attributes {
  return { 'rpc.system': 'grpc', 'rpc.service': req.service.typeName, 'rpc.method': req.method.name };
}

function failed(span: Span, error: unknown): void {
  span.setAttribute('rpc.grpc.status_code', grpcCodeName(error));
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/**
 * Client: each attempt is a CLIENT span under the active span (a GraphQL request, a socket frame),
 * and its context rides along in the request headers, so the server's span is its child. It ends
 * with the answer, or for a streamed answer when the stream ends.
 */
export function clientTraceInterceptor(): Interceptor {
  return (next) => (req) => {
    const name = `${req.service.typeName}/${req.method.name}`;
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes: rpcAttributes(req) });
    const callContext = trace.setSpan(context.active(), span);
    propagation.inject(callContext, req.header, {
      set: (carrier, key, value) => carrier.set(key, value),
    });
    return context.with(callContext, async () => {
      let res;
      try {
        res = await next(req);
      } catch (error) {
        failed(span, error);
        throw error;
      }
      const done = (error?: unknown) => (error === undefined ? span.end() : failed(span, error));
      if (!res.stream) {
        done();
        return res;
      }
      return { ...res, message: observeEnd(res, done) } satisfies StreamResponse;
    });
  };
}

/** Server: each call runs in a SERVER span whose parent is the caller's span. */
export function serverTraceInterceptor(): Interceptor {
  return (next) => (req) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.header, headerGetter);
    const name = `${req.service.typeName}/${req.method.name}`;
    return tracer.startActiveSpan(
      name,
      { kind: SpanKind.SERVER, attributes: rpcAttributes(req) },
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
