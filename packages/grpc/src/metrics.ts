import type { DescMethod } from '@bufbuild/protobuf';
import { Code, ConnectError, type Interceptor, type StreamResponse } from '@connectrpc/connect';
import { Counter, Histogram, type Registry } from 'prom-client';

/*
 * The Prometheus gRPC metric names (as go-grpc-prometheus and grpc-ecosystem's providers name them),
 * so the usual dashboards and alerts work unchanged: started, handled by code, handling time.
 */

type Side = 'server' | 'client';
const BASE = ['grpc_type', 'grpc_service', 'grpc_method'] as const;
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface SideMetrics {
  started: Counter<(typeof BASE)[number]>;
  handled: Counter<(typeof BASE)[number] | 'grpc_code'>;
  seconds: Histogram<(typeof BASE)[number]>;
}

/** One counter or histogram per registry, however many servers or clients share it. */
function reuse<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

function metricsOf(registry: Registry, side: Side): SideMetrics {
  const verb = side === 'server' ? 'started on the server' : 'started by the client';
  return {
    started: reuse(
      registry,
      `grpc_${side}_started_total`,
      () =>
        new Counter({
          name: `grpc_${side}_started_total`,
          help: `Total number of RPCs ${verb}.`,
          labelNames: BASE,
          registers: [registry],
        }),
    ),
    handled: reuse(
      registry,
      `grpc_${side}_handled_total`,
      () =>
        new Counter({
          name: `grpc_${side}_handled_total`,
          help: `Total number of RPCs completed on the ${side}, regardless of success or failure.`,
          labelNames: [...BASE, 'grpc_code'],
          registers: [registry],
        }),
    ),
    seconds: reuse(
      registry,
      `grpc_${side}_handling_seconds`,
      () =>
        new Histogram({
          name: `grpc_${side}_handling_seconds`,
          help: `Histogram of response latency (seconds) of gRPC calls on the ${side} until they completed.`,
          labelNames: BASE,
          buckets: BUCKETS,
          registers: [registry],
        }),
    ),
  };
}

const TYPES: Record<DescMethod['methodKind'], string> = {
  unary: 'unary',
  server_streaming: 'server_stream',
  client_streaming: 'client_stream',
  bidi_streaming: 'bidi_stream',
};

/** The status name as gRPC's own libraries print it (`OK`, `NotFound`, `Unavailable`). */
export function grpcCodeName(error: unknown): string {
  if (error === undefined) return 'OK';
  return Code[ConnectError.from(error).code];
}

/** Counts every call and times it until its last message, on the server or the client side. */
export function metricsInterceptor(registry: Registry, side: Side): Interceptor {
  const metrics = metricsOf(registry, side);
  return (next) => async (req) => {
    const method: DescMethod = req.method;
    const labels = {
      grpc_type: TYPES[method.methodKind],
      grpc_service: req.service.typeName,
      grpc_method: method.name,
    };
    metrics.started.inc(labels);
    const end = metrics.seconds.startTimer(labels);
    const done = (error?: unknown) => {
      end();
      metrics.handled.inc({ ...labels, grpc_code: grpcCodeName(error) });
    };
    let res;
    try {
      res = await next(req);
    } catch (error) {
      done(error);
      throw error;
    }
    if (!res.stream) {
      done();
      return res;
    }
    return { ...res, message: observeEnd(res, done) } satisfies StreamResponse;
  };
}

/**
 * A streamed answer is handled when its stream ends, with the error it ended with, or as CANCELLED
 * when its reader stops reading (a `break` out of `for await`): otherwise such a call would never be
 * counted, and its span never ended.
 */
export async function* observeEnd(res: StreamResponse, done: (error?: unknown) => void) {
  let settled = false;
  try {
    yield* res.message;
    settled = true;
    done();
  } catch (error) {
    settled = true;
    done(error);
    throw error;
  } finally {
    if (!settled) done(new ConnectError('the reader stopped reading the stream', Code.Canceled));
  }
}
