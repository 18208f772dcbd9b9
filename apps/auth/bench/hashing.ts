import type { BenchAlgorithm } from './algorithms.js';

/**
 * Mean time of one verify with `algorithm`, measured in this process while nothing else runs: the
 * hash time on an idle machine, for comparison with what the service sees under load.
 */
export async function idleVerifySeconds(algorithm: BenchAlgorithm, samples = 20): Promise<number> {
  const password = 'idle-measurement-password';
  const hash = await algorithm.hash(password);
  await algorithm.verify(hash, password); // first call pays for loading and warming up the addon
  const started = performance.now();
  for (let i = 0; i < samples; i++) await algorithm.verify(hash, password);
  return (performance.now() - started) / 1000 / samples;
}

export interface HashMetrics {
  /** Sum of `auth_hash_duration_seconds` (seconds spent in pool slots). */
  sum: number;
  /** Number of hashes observed. */
  count: number;
  /** `auth_hash_pool_rejected_total`: hashes refused with 503. */
  rejected: number;
}

/** Reads the hashing pool's series from the service's Prometheus endpoint. */
export async function scrapeHashMetrics(metricsUrl: string): Promise<HashMetrics> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`GET ${metricsUrl} answered ${response.status}`);
  const text = await response.text();
  return {
    sum: sample(text, 'auth_hash_duration_seconds_sum'),
    count: sample(text, 'auth_hash_duration_seconds_count'),
    rejected: sample(text, 'auth_hash_pool_rejected_total'),
  };
}

/** The value of the first sample of `name` (any labels) in Prometheus text format. */
function sample(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  const value = Number(line?.trim().split(/\s+/).pop());
  if (!line || !Number.isFinite(value)) throw new Error(`metric ${name} not found`);
  return value;
}

export interface HashDelta {
  count: number;
  meanSeconds: number;
  rejected: number;
}

/** What happened between two scrapes: hashes done, their mean time, hashes refused. */
export function hashDelta(before: HashMetrics, after: HashMetrics): HashDelta {
  const count = after.count - before.count;
  return {
    count,
    meanSeconds: count > 0 ? (after.sum - before.sum) / count : Number.NaN,
    rejected: after.rejected - before.rejected,
  };
}
