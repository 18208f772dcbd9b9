/** The `logs_batch_size` histogram and the inserted-rows counter, as worker-logs exposes them. */
export interface LogsMetrics {
  inserted: number;
  batches: number;
  batchRows: number;
  /** Cumulative bucket counts by upper bound (`le`), as Prometheus reports them. */
  buckets: Array<{ le: string; count: number }>;
}

/** One scrape of the worker's metrics port. */
export async function scrapeLogsMetrics(metricsUrl: string): Promise<LogsMetrics> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`GET ${metricsUrl} answered ${response.status}`);
  const lines = (await response.text()).split('\n');
  const value = (name: string) => {
    const line = lines.find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
    return Number(line?.trim().split(/\s+/).pop() ?? 0);
  };
  const buckets = lines
    .filter((l) => l.startsWith('logs_batch_size_bucket'))
    .map((l) => ({
      le: /le="([^"]+)"/.exec(l)?.[1] ?? '?',
      count: Number(l.trim().split(/\s+/).pop()),
    }));
  return {
    inserted: value('logs_rows_inserted_total'),
    batches: value('logs_batch_size_count'),
    batchRows: value('logs_batch_size_sum'),
    buckets,
  };
}

/**
 * The bucket counts as "how many batches had this many rows" ranges ("101-250": 3), from the
 * cumulative counts; empty ranges left out.
 */
export function batchSizeRanges(buckets: LogsMetrics['buckets']): string {
  const parts: string[] = [];
  let previousLe = '0';
  let previousCount = 0;
  for (const { le, count } of buckets) {
    const inRange = count - previousCount;
    const low = Number(previousLe) + 1;
    const label = le === '+Inf' ? `>${previousLe}` : low === Number(le) ? le : `${low}-${le}`;
    if (inRange > 0) parts.push(`${label}: ${inRange}`);
    previousLe = le;
    previousCount = count;
  }
  return parts.join(', ') || 'none';
}
