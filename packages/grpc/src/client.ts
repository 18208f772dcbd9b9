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

/** Node's errors for a connection that failed or was refused before the call could run. */
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ERR_HTTP2_GOAWAY_SESSION',
]);

function nodeCodeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The call failed for want of a server: UNAVAILABLE, or what connect-node reports as INTERNAL with
 * Node's error inside (connection refused or reset, REFUSED_STREAM after a GOAWAY: never processed).
 */
export function unavailable(error: unknown): ConnectError | undefined {
  const connect = ConnectError.from(error);
  if (connect.code === Code.Unavailable) return connect;
  const cause = nodeCodeOf(connect.cause);
  const refused = cause === 'ERR_HTTP2_STREAM_ERROR' && connect.rawMessage.includes('REFUSED_STREAM');
  if (refused || (cause !== undefined && CONNECTION_ERRORS.has(cause)))
    return new ConnectError(connect.rawMessage, Code.Unavailable, undefined, undefined, connect.cause);
  return undefined;
}

/**
 * Retries an idempotent unary call (declared so in the .proto) that failed UNAVAILABLE (refused,
 * reset, GOAWAY: it never ran, or running it again is harmless), with exponential backoff and full
 * jitter, inside the call's one deadline: the deadline bounds all attempts together, so a retried
 * call never outlives it and DEADLINE_EXCEEDED itself is never retried.
 */
export function retryInterceptor(policy: RetryPolicy = DEFAULT_RETRY): Interceptor {
  return (next) => async (req) => {
    if (req.stream || !RETRYABLE_METHODS.has(req.method.idempotency))
      return next(req).catch((error: unknown) => {
        throw unavailable(error) ?? error;
      });
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(req);
      } catch (error) {
        const down = unavailable(error);
        if (down === undefined) throw error;
        if (attempt >= policy.attempts || req.signal.aborted) throw down;
        await sleep(backoffDelayMs(policy, attempt), undefined, { signal: req.signal }).catch(() => {
          throw ConnectError.from(req.signal.reason ?? down);
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
    // Asks for answers uncompressed: between services on one network, gzip costs more CPU (it was 8% of
    // users' CPU serving GetUsers, in `bench/grpc.ts`) than the bytes it saves are worth.
    acceptCompression: [],
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
