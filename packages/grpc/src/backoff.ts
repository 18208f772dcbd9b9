/** How a client retries: attempts in all (the first included) and the exponential delay's bounds. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 50, maxDelayMs: 1_000 };

/**
 * The wait before retry number `retry` (1 for the first retry): "full jitter", a uniform draw in
 * [0, min(max, base * 2^(retry-1))], so clients that failed together do not come back together.
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  retry: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
