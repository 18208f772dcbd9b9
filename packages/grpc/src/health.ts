import { setTimeout as sleep } from 'node:timers/promises';
import { Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import { Health, HealthCheckResponse_ServingStatus as Status } from '@platform/proto';

/** A dependency check (as `/ready` runs them); it rejects when the dependency is not usable. */
export type DependencyCheck = () => Promise<unknown>;

/** The `service` a liveness probe asks for: SERVING while the process runs, draining or not. */
export const LIVENESS_SERVICE = 'liveness';

export interface GrpcHealthOptions {
  /** The same checks `/ready` runs (database, broker, Redis). */
  readiness: Record<string, DependencyCheck>;
  /** Fully-qualified names of the services this server serves; each may be asked for by name. */
  services: readonly string[];
  /** How long one check may take before it counts as failing. */
  checkTimeoutMs?: number;
  /** How often Watch re-runs the checks. */
  watchIntervalMs?: number;
}

async function passes(check: DependencyCheck, ms: number): Promise<boolean> {
  const timeout = new AbortController();
  try {
    await Promise.race([
      check(),
      sleep(ms, undefined, { signal: timeout.signal }).then(() => Promise.reject(new Error('timed out'))),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    timeout.abort();
  }
}

/**
 * grpc.health.v1 for a server: SERVING when every readiness check passes and the process is not
 * draining, NOT_SERVING otherwise, so the Kubernetes gRPC probe and `pnpm start` see what `/ready`
 * says. The empty service name is the whole server; an unknown name is NOT_FOUND (Check) or
 * SERVICE_UNKNOWN (Watch), as the protocol asks.
 */
export class GrpcHealth {
  private draining = false;
  private readonly drainWaiters = new AbortController();
  private readonly checkTimeoutMs: number;
  private readonly watchIntervalMs: number;

  constructor(private readonly options: GrpcHealthOptions) {
    this.checkTimeoutMs = options.checkTimeoutMs ?? 2_000;
    this.watchIntervalMs = options.watchIntervalMs ?? 5_000;
  }

  /** From now on every service is NOT_SERVING; open Watch streams hear it at once and end. */
  drain(): void {
    this.draining = true;
    this.drainWaiters.abort();
  }

  /** The status of `service`, or undefined when this server does not serve it. */
  async statusOf(service: string): Promise<Status | undefined> {
    if (service === LIVENESS_SERVICE) return Status.SERVING;
    if (service !== '' && !this.options.services.includes(service)) return undefined;
    if (this.draining) return Status.NOT_SERVING;
    const results = await Promise.all(
      Object.values(this.options.readiness).map((check) => passes(check, this.checkTimeoutMs)),
    );
    return results.every(Boolean) && !this.draining ? Status.SERVING : Status.NOT_SERVING;
  }

  /** Registers the Health service on a router. */
  register(router: ConnectRouter): void {
    router.service(Health, {
      check: async ({ service }) => {
        const status = await this.statusOf(service);
        if (status === undefined) throw new ConnectError(`unknown service ${service}`, Code.NotFound);
        return { status };
      },
      watch: (request, ctx) => this.watch(request.service, ctx.signal),
    });
  }

  private async *watch(service: string, signal: AbortSignal) {
    let last: Status | undefined;
    const stop = AbortSignal.any([signal, this.drainWaiters.signal]);
    for (;;) {
      const status = (await this.statusOf(service)) ?? Status.SERVICE_UNKNOWN;
      if (status !== last) yield { status };
      last = status;
      if (this.draining || signal.aborted) return;
      await sleep(this.watchIntervalMs, undefined, { signal: stop }).catch(() => undefined);
    }
  }
}
