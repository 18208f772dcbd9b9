import type { ChatVerdict } from './chat.js';
import type { SoakOptions } from './options.js';
import type { ProcessSample, StackProcess } from './processes.js';
import { theilSen, type OperationSummary } from './stats.js';

/** One process over the run: where it started and ended, and how fast it grew in the second half. */
export interface ProcessTrend extends StackProcess {
  samples: ProcessSample[];
  rssFirstMiB: number;
  rssLastMiB: number;
  /** Theil-Sen slope of its floor (`floorOver`) over the second half, per minute. */
  rssSlope: number;
  fdsFirst: number;
  fdsLast: number;
  fdsSlope: number;
  /** The same for the V8 heap in use (services only); shown, not judged. */
  heapSlope: number | undefined;
  /** Cores it kept busy over the run (CPU seconds per wall second). */
  cores: number | undefined;
  /** Why it counts as leaking; empty when it does not. */
  leaks: string[];
  /** False when the run was too short for the trend test (its slopes are shown, not judged). */
  judged: boolean;
}

/** The second half must span this long for a trend to be judged: runs of 4 minutes and more. */
export const MIN_HALF_MINUTES = 2;

/**
 * The floor a value kept over the trailing `windowMs` at each sample. A Node process's RSS is a
 * sawtooth (the heap grows until a major collection gives memory back), and with only a few teeth
 * in a run even a median of slopes leans towards the ramps; the floor after each collection is flat
 * unless something is kept for good, which is what a leak is.
 */
export function floorOver(
  samples: readonly ProcessSample[],
  windowMs: number,
  value: (s: ProcessSample) => number,
): { x: number; y: number }[] {
  return samples.map((s) => ({
    x: s.at / 60_000,
    y: Math.min(...samples.filter((o) => o.at <= s.at && o.at >= s.at - windowMs).map(value)),
  }));
}

/**
 * The trend test: over the second half of the run (the first half is warm-up: JIT, pools, caches
 * filling), a process leaks when the Theil-Sen slope of the floor of its RSS (or of its open
 * descriptors) is above the per-minute limit and the growth it implies over that half is above the
 * absolute floor. The floor keeps a short run's noise from passing for a leak; the rate catches a
 * slow one in a long run.
 */
export function processTrend(
  process: StackProcess,
  samples: ProcessSample[],
  options: SoakOptions,
): ProcessTrend {
  const endAt = samples.at(-1)?.at ?? 0;
  const halfMinutes = endAt / 2 / 60_000;
  const windowMs = options.leakWindowSeconds * 1000;
  const perMinute = (value: (s: ProcessSample) => number) =>
    theilSen(floorOver(samples, windowMs, value).filter((p) => p.x * 60_000 >= endAt / 2));
  const rssSlope = perMinute((s) => s.rssMiB);
  const fdsSlope = perMinute((s) => s.fds);
  const withHeap = samples.filter((s) => s.heapMiB !== undefined);
  const heapSlope =
    withHeap.length < 2
      ? undefined
      : theilSen(
          floorOver(withHeap, windowMs, (s) => s.heapMiB ?? 0).filter((p) => p.x * 60_000 >= endAt / 2),
        );
  const leaks: string[] = [];
  // Below this the second half is mostly garbage-collection rhythm; the slopes are shown, not judged.
  if (halfMinutes < MIN_HALF_MINUTES)
    return trend(process, samples, { rssSlope, fdsSlope, heapSlope }, leaks, false);
  if (rssSlope > options.leakRssMiBPerMinute && rssSlope * halfMinutes > options.leakMinRssMiB)
    leaks.push(`RSS grows ${rssSlope.toFixed(2)} MiB/min over the second half`);
  if (fdsSlope > options.leakFdsPerMinute && fdsSlope * halfMinutes > options.leakMinFds)
    leaks.push(`open descriptors grow ${fdsSlope.toFixed(2)}/min over the second half`);
  return trend(process, samples, { rssSlope, fdsSlope, heapSlope }, leaks, true);
}

function trend(
  process: StackProcess,
  samples: ProcessSample[],
  slopes: Pick<ProcessTrend, 'rssSlope' | 'fdsSlope' | 'heapSlope'>,
  leaks: string[],
  judged: boolean,
): ProcessTrend {
  const first = samples[0];
  const last = samples.at(-1);
  const cpu =
    first?.cpuSeconds !== undefined && last?.cpuSeconds !== undefined && last.at > first.at
      ? (last.cpuSeconds - first.cpuSeconds) / ((last.at - first.at) / 1000)
      : undefined;
  return {
    ...process,
    samples,
    rssFirstMiB: first?.rssMiB ?? Number.NaN,
    rssLastMiB: last?.rssMiB ?? Number.NaN,
    ...slopes,
    fdsFirst: first?.fds ?? Number.NaN,
    fdsLast: last?.fds ?? Number.NaN,
    cores: cpu,
    leaks,
    judged,
  };
}

/** Every reason the soak fails; empty when it passes. */
export function failures(
  trends: readonly ProcessTrend[],
  operations: readonly OperationSummary[],
  chat: ChatVerdict,
  settled: boolean,
): string[] {
  const reasons: string[] = [];
  for (const trend of trends) {
    if (trend.samples.length === 0) reasons.push(`${trend.name} (pid ${trend.pid}) was never sampled`);
    for (const leak of trend.leaks) reasons.push(`${trend.name}: ${leak}`);
  }
  for (const op of operations)
    if (op.serverErrors > 0) reasons.push(`${op.operation}: ${op.serverErrors} answers with a 5xx`);
  const refused5xx = Object.entries(chat.wire.refusedUpgrades).filter(([status]) => Number(status) >= 500);
  for (const [status, n] of refused5xx) reasons.push(`socket upgrades refused with ${status}: ${n}`);
  if (chat.lost > 0) reasons.push(`${chat.lost} chat deliveries lost`);
  if (chat.duplicated > 0) reasons.push(`${chat.duplicated} chat messages duplicated`);
  if (chat.unexpected > 0) reasons.push(`${chat.unexpected} chat messages nobody's send was acked for`);
  if (chat.wire.liveDuplicates > 0)
    reasons.push(`${chat.wire.liveDuplicates} live chat.message frames sent twice on one socket`);
  if (chat.unsettled > 0) reasons.push(`${chat.unsettled} chat sends never acked or refused`);
  if (!settled)
    reasons.push('the chat did not settle (every socket open, every message delivered) within 60 s');
  return reasons;
}
