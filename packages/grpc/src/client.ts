import { setTimeout as sleep } from 'node:timers/promises';
import type { DescService } from '@bufbuild/protobuf';
import { MethodOptions_IdempotencyLevel as Idempotency } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, createClient, type Client, type Interceptor } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import type { Registry } from 'prom-client';
import { backoffDelayMs, DEFAULT_RETRY, type RetryPolicy } from './backoff.js';
import { metricsInterceptor } from './metrics.js';
import type { TlsMaterial } from './tls.js';
import { clientTraceInterceptor } from './tracing.js';

export interface GrpcClientOptions {
  /** `http://host:port` (plaintext) or `https://host:port` (TLS). */
  url: string;
  /** Every call's deadline unless the call sets `timeoutMs`; retries happen within it. */
  timeoutMs: number;
  retry?: RetryPolicy;
  /** Client metrics go to the calling service's registry. */
  registry?: Registry;
  /** CA to verify the server with; cert and key to present (mTLS). */
  tls?: TlsMaterial | undefined;
}

const RETRYABLE_METHODS = new Set([Idempotency.NO_SIDE_EFFECTS, Idempotency.IDEMPOTENT]);

/**
 * Retries an idempotent unary call (declared so in the .proto) that failed UNAVAILABLE (refused,
 * reset, GOAWAY: it never ran, or running it again is harmless), with exponential backoff and full
 * jitter, inside the call's one deadline: the deadline bounds all attempts together, so a retried
 * call never outlives it and DEADLINE_EXCEEDED itself is never retried.
 */
export function retryInterceptor(policy: RetryPolicy = DEFAULT_RETRY): Interceptor {
  return (next) => async (req) => {
    if (req.stream || !RETRYABLE_METHODS.has(req.method.idempotency)) return next(req);
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(req);
      } catch (error) {
        const code = ConnectError.from(error).code;
        if (code !== Code.Unavailable || attempt >= policy.attempts || req.signal.aborted) throw error;
        await sleep(backoffDelayMs(policy, attempt), undefined, { signal: req.signal }).catch(() => {
          throw ConnectError.from(req.signal.reason ?? error);
        });
      }
    }
  };
}

/** A typed client of `service` over gRPC (HTTP/2) with a default deadline, retries, metrics, trace context. */
export function createGrpcClient<S extends DescService>(service: S, options: GrpcClientOptions): Client<S> {
  const interceptors: Interceptor[] = [retryInterceptor(options.retry)];
  if (options.registry !== undefined) interceptors.push(metricsInterceptor(options.registry, 'client'));
  interceptors.push(clientTraceInterceptor());
  const transport = createGrpcTransport({
    baseUrl: options.url,
    defaultTimeoutMs: options.timeoutMs,
    interceptors,
    nodeOptions:
      options.tls === undefined
        ? undefined
        : { ca: options.tls.ca, cert: options.tls.cert, key: options.tls.key },
  });
  return createClient(service, transport);
}

/** Call options that carry the caller's identity (their access token) to the owning service. */
export function asCaller(token: string): { headers: Record<string, string> } {
  return { headers: { authorization: `Bearer ${token}` } };
}
