/**
 * Publish-to-receive latencies, as a linear histogram of 10 µs buckets up to 5 s (plus one overflow
 * bucket): a load client records hundreds of thousands of samples per run without keeping them, and
 * the bench merges the clients' histograms exactly. 10 µs is far below what the percentiles resolve.
 */
export const BUCKET_MS = 0.01;
export const BUCKETS = 500_000;

/** Non-empty buckets as [index, count] pairs: what a load client sends back for one run. */
export type SparseHistogram = Array<[number, number]>;

export class LatencyHistogram {
  private counts = new Uint32Array(BUCKETS + 1);
  count = 0;
  sumMs = 0;
  maxMs = 0;

  record(ms: number): void {
    const clamped = ms < 0 ? 0 : ms;
    const index = Math.min(BUCKETS, Math.floor(clamped / BUCKET_MS));
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.count += 1;
    this.sumMs += clamped;
    if (clamped > this.maxMs) this.maxMs = clamped;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sumMs = 0;
    this.maxMs = 0;
  }

  sparse(): SparseHistogram {
    const pairs: SparseHistogram = [];
    this.counts.forEach((n, i) => {
      if (n > 0) pairs.push([i, n]);
    });
    return pairs;
  }

  merge(pairs: SparseHistogram, maxMs: number, sumMs: number): void {
    for (const [index, n] of pairs) {
      this.counts[index] = (this.counts[index] ?? 0) + n;
      this.count += n;
    }
    this.sumMs += sumMs;
    if (maxMs > this.maxMs) this.maxMs = maxMs;
  }

  /** Nearest-rank percentile, reported as the upper edge of its bucket; NaN when empty. */
  percentile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i <= BUCKETS; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return i === BUCKETS ? this.maxMs : Math.min(this.maxMs, (i + 1) * BUCKET_MS);
    }
    return this.maxMs;
  }

  /** Share of samples at or under `ms`. */
  shareUnder(ms: number): number {
    if (this.count === 0) return Number.NaN;
    const last = Math.min(BUCKETS, Math.floor(ms / BUCKET_MS));
    let seen = 0;
    for (let i = 0; i < last; i++) seen += this.counts[i] ?? 0;
    return seen / this.count;
  }
}
