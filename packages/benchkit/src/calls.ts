import { percentile, withMachineAccounting, type LoadResult } from './load.js';

/**
 * Closed-loop load made of calls of any kind (a gRPC client's, fetch's): `concurrency` loops, each
 * starting its next call as soon as the previous one settles, for `durationSeconds`. For protocols
 * autocannon does not speak (HTTP/2, gRPC), and for comparing two protocols through the clients a
 * service would really use.
 */
export interface CallSpec {
  concurrency: number;
  durationSeconds: number;
  /** One unit of work; resolves true when its answer is right, false when the server refused it. */
  call: () => Promise<boolean>;
}

export async function runCalls(spec: CallSpec): Promise<LoadResult> {
  return withMachineAccounting(async () => {
    const latencies: number[] = [];
    let refused = 0;
    let errors = 0;
    const started = performance.now();
    const until = started + spec.durationSeconds * 1000;
    const loop = async (): Promise<void> => {
      while (performance.now() < until) {
        const before = performance.now();
        try {
          if (await spec.call()) latencies.push(performance.now() - before);
          else refused++;
        } catch {
          errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency }, loop));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      seconds,
      ok: latencies.length,
      non2xx: refused,
      errors,
      statusCodes: {},
      okPerSecond: latencies.length / seconds,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
    };
  });
}
