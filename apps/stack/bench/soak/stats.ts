import { percentile } from '@platform/benchkit';

/** The operations the soak drives, in the order its report lists them. */
export const OPERATIONS = [
  'register',
  'login',
  'profile',
  'chat.send',
  'chat.delivery',
  'ws.reconnect',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** How one attempt ended: `ok`, an HTTP status, a socket error code, or `network`/`timeout`. */
export type Outcome = 'ok' | number | string;

interface Sample {
  /** ms since the soak started. */
  at: number;
  ms: number;
}

export interface OperationSummary {
  operation: Operation;
  attempts: number;
  ok: number;
  rateLimited: number;
  serverErrors: number;
  otherErrors: number;
  /** Counted per outcome, e.g. `{ ok: 120, 429: 3 }`. */
  outcomes: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** A 5xx: an HTTP status of 500 or more (socket codes are mapped to their status before they get here). */
export function isServerError(outcome: Outcome): boolean {
  return typeof outcome === 'number' && outcome >= 500;
}

/** Every attempt of every operation with its latency and outcome, kept whole for percentiles over time. */
export class Recorder {
  private readonly samples = new Map<Operation, Sample[]>();
  private readonly outcomes = new Map<Operation, Map<string, number>>();
  private startedAt: number | undefined;

  /** Starts the clock; attempts before it (the set-up) are not counted. */
  start(): void {
    this.startedAt = performance.now();
  }

  /** One finished attempt; only successful ones count towards the latency percentiles. */
  record(operation: Operation, ms: number, outcome: Outcome = 'ok'): void {
    if (this.startedAt === undefined) return;
    const counts = this.outcomes.get(operation) ?? new Map<string, number>();
    counts.set(String(outcome), (counts.get(String(outcome)) ?? 0) + 1);
    this.outcomes.set(operation, counts);
    if (outcome !== 'ok') return;
    const list = this.samples.get(operation) ?? [];
    list.push({ at: performance.now() - this.startedAt, ms });
    this.samples.set(operation, list);
  }

  summary(operation: Operation): OperationSummary {
    const outcomes = Object.fromEntries(this.outcomes.get(operation) ?? []);
    let attempts = 0;
    let rateLimited = 0;
    let serverErrors = 0;
    for (const [outcome, n] of Object.entries(outcomes)) {
      attempts += n;
      if (outcome === '429' || outcome === 'rate_limited') rateLimited += n;
      if (isServerError(Number(outcome))) serverErrors += n;
    }
    const ok = outcomes.ok ?? 0;
    const sorted = (this.samples.get(operation) ?? []).map((s) => s.ms).sort((a, b) => a - b);
    return {
      operation,
      attempts,
      ok,
      rateLimited,
      serverErrors,
      otherErrors: attempts - ok - rateLimited - serverErrors,
      outcomes,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      maxMs: sorted.at(-1) ?? Number.NaN,
    };
  }

  /** p99 of each window of `windowMs` (by when the attempt finished); NaN for a window without samples. */
  p99Series(operation: Operation, windowMs: number, untilMs: number): { at: number; ms: number }[] {
    // A last stretch shorter than half a window joins the one before it rather than plotting a few samples.
    const windows = Math.max(1, Math.round(untilMs / windowMs));
    const buckets: number[][] = Array.from({ length: windows }, () => []);
    for (const s of this.samples.get(operation) ?? []) {
      buckets[Math.min(windows - 1, Math.floor(s.at / windowMs))]?.push(s.ms);
    }
    return buckets.map((b, i) => ({
      // The last window ends with the run: its point sits in the middle of what it covers.
      at: (i * windowMs + (i === windows - 1 ? untilMs : (i + 1) * windowMs)) / 2,
      ms: percentile(
        b.sort((x, y) => x - y),
        0.99,
      ),
    }));
  }
}

/**
 * Theil-Sen slope of y over x: the median of the slopes between every pair of points. Unlike a
 * least-squares fit, a garbage collection's sawtooth or a few outliers barely move it, so a steady
 * climb shows through the noise and a single spike does not pass for one.
 */
export function theilSen(points: readonly { x: number; y: number }[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i += 1) {
    for (let j = i + 1; j < points.length; j += 1) {
      const a = points[i];
      const b = points[j];
      if (a && b && b.x !== a.x) slopes.push((b.y - a.y) / (b.x - a.x));
    }
  }
  slopes.sort((p, q) => p - q);
  return slopes.length === 0
    ? 0
    : (percentile(slopes, 0.5) + (slopes[Math.floor(slopes.length / 2)] ?? 0)) / 2;
}
