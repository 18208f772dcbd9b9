import { availableParallelism } from 'node:os';
import autocannon from 'autocannon';
import { machineCpuTicks } from './machine.js';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  seconds: number;
  /** 2xx responses: the work the client got done. */
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
  /** 2xx responses per second over the whole run. */
  okPerSecond: number;
  /** Latency of 2xx responses in ms, from the load generator's clock. */
  p50Ms: number;
  p99Ms: number;
  /** Share of all cores' time stolen by the hypervisor during the run; undefined without /proc. */
  machineSteal: number | undefined;
  /** Cores the machine's processes kept busy (all of them, stolen time left out); undefined without /proc. */
  machineCores: number | undefined;
  /** Cores this process (autocannon) kept busy. */
  loadCores: number;
}

/**
 * Closed-loop load: `connections` keep-alive connections, each sending its next request as soon as
 * the previous answer arrives. Latencies are taken from autocannon's per-response event, because its
 * own histogram rounds to whole milliseconds, too coarse for a fast endpoint.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return withMachineAccounting(async () => {
    const latencies: number[] = [];
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: spec.url,
          method: spec.method,
          headers: spec.headers ?? {},
          body: spec.body,
          connections: spec.connections,
          duration: spec.durationSeconds,
          timeout: 30,
        },
        (error: unknown, done: autocannon.Result) => (error ? reject(toError(error)) : resolve(done)),
      );
      instance.on('response', (_client, status, _bytes, ms) => {
        if (status >= 200 && status < 300) latencies.push(ms);
      });
    });
    latencies.sort((a, b) => a - b);
    const statusCodes = Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]),
    );
    return {
      seconds: result.duration,
      ok: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      statusCodes,
      okPerSecond: result['2xx'] / result.duration,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
    };
  });
}

/** What a load run measured of its own; the machine's and the load generator's share are added around it. */
export type OwnResult = Omit<LoadResult, 'machineSteal' | 'machineCores' | 'loadCores'>;

/** Runs `run` and adds the machine's busy cores, its steal and this process's (the load generator's) cores. */
export async function withMachineAccounting(run: () => Promise<OwnResult>): Promise<LoadResult> {
  const cpuBefore = machineCpuTicks();
  const ownBefore = process.cpuUsage();
  const result = await run();
  const cpuAfter = machineCpuTicks();
  const own = process.cpuUsage(ownBefore);
  const ticks = cpuBefore && cpuAfter ? Math.max(1, cpuAfter.total - cpuBefore.total) : 0;
  return {
    ...result,
    machineSteal: cpuBefore && cpuAfter ? (cpuAfter.steal - cpuBefore.steal) / ticks : undefined,
    // Stolen time counts as busy in /proc/stat, but no process on this machine ran in it.
    machineCores:
      cpuBefore && cpuAfter
        ? ((cpuAfter.busy - cpuBefore.busy - (cpuAfter.steal - cpuBefore.steal)) / ticks) *
          availableParallelism()
        : undefined,
    loadCores: (own.user + own.system) / 1e6 / result.seconds,
  };
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
