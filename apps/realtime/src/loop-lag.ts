import type { Histogram } from 'prom-client';

/** How often the sampler wakes: fine enough to see a 10 ms stall, cheap (100 timers a second). */
const TICK_MS = 10;

/**
 * Observes, every 10 ms, how late the tick ran: the time the loop spent on other work when the timer
 * was due. prom-client's own `nodejs_eventloop_lag_p99_seconds` comes from `monitorEventLoopDelay`,
 * whose samples include the 10 ms resolution itself and reset on every scrape; this is the lag alone,
 * as a histogram that any number of scrapers can read (`histogram_quantile` over a rate). Returns stop.
 */
export function sampleEventLoopLag(histogram: Histogram): () => void {
  let due = performance.now() + TICK_MS;
  const timer = setInterval(() => {
    const now = performance.now();
    histogram.observe(Math.max(0, now - due) / 1000);
    due = now + TICK_MS;
  }, TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
