/** A Prometheus histogram as scraped: cumulative counts by upper bound (seconds), ascending. */
export interface ScrapedHistogram {
  buckets: Array<[number, number]>;
  count: number;
  sum: number;
}

/**
 * Histograms (each summed over its label sets) from one fetch of a Prometheus text page, in `names`'
 * order; undefined for one that is absent. One request, as one Prometheus scrape would be.
 */
export async function scrapeHistograms(
  url: string,
  names: readonly string[],
): Promise<Array<ScrapedHistogram | undefined>> {
  const text = await fetch(url)
    .then((r) => r.text())
    .catch(() => '');
  const lines = text.split('\n');
  return names.map((name) => parseHistogram(lines, name));
}

function parseHistogram(lines: readonly string[], name: string): ScrapedHistogram | undefined {
  const byBound = new Map<number, number>();
  let count = 0;
  let sum = 0;
  let seen = false;
  for (const line of lines) {
    const value = Number(line.trim().split(/\s+/).pop());
    if (line.startsWith(`${name}_bucket{`)) {
      const le = /le="([^"]+)"/.exec(line)?.[1];
      const bound = le === '+Inf' ? Infinity : Number(le);
      byBound.set(bound, (byBound.get(bound) ?? 0) + value);
      seen = true;
    } else if (line.startsWith(`${name}_count`)) count += value;
    else if (line.startsWith(`${name}_sum`)) sum += value;
  }
  if (!seen) return undefined;
  return { buckets: [...byBound].sort((a, b) => a[0] - b[0]), count, sum };
}

/** What was observed between two scrapes of the same histogram. */
export function histogramDelta(
  later: ScrapedHistogram,
  earlier: ScrapedHistogram | undefined,
): ScrapedHistogram {
  const before = new Map(earlier?.buckets ?? []);
  return {
    buckets: later.buckets.map(([bound, n]) => [bound, n - (before.get(bound) ?? 0)]),
    count: later.count - (earlier?.count ?? 0),
    sum: later.sum - (earlier?.sum ?? 0),
  };
}

/** Adds histograms with the same buckets. */
export function histogramSum(parts: ScrapedHistogram[]): ScrapedHistogram {
  const byBound = new Map<number, number>();
  for (const part of parts)
    for (const [bound, n] of part.buckets) byBound.set(bound, (byBound.get(bound) ?? 0) + n);
  return {
    buckets: [...byBound].sort((a, b) => a[0] - b[0]),
    count: parts.reduce((total, p) => total + p.count, 0),
    sum: parts.reduce((total, p) => total + p.sum, 0),
  };
}

/**
 * The q-quantile in seconds, interpolated linearly inside its bucket as PromQL's `histogram_quantile`
 * does; the top finite bound when it falls in +Inf. NaN without observations.
 */
export function histogramQuantile(h: ScrapedHistogram, q: number): number {
  const total = h.buckets.at(-1)?.[1] ?? 0;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, n] of h.buckets) {
    if (n >= rank) {
      if (bound === Infinity) return lowerBound;
      return lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / Math.max(1, n - lowerCount);
    }
    lowerBound = bound;
    lowerCount = n;
  }
  return lowerBound;
}

/** The bucket holding the largest observation, as "(a, b] ms". */
export function largestBucket(h: ScrapedHistogram): string {
  let lower = 0;
  let previous = 0;
  let found = 'none';
  for (const [bound, n] of h.buckets) {
    if (n > previous)
      found = bound === Infinity ? `> ${lower * 1000} ms` : `${lower * 1000}-${bound * 1000} ms`;
    previous = n;
    lower = bound;
  }
  return found;
}
