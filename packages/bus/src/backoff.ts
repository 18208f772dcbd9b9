/** Bounds of the reconnect backoff. */
export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
}

/** From a quarter second up to half a minute between attempts. */
export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 250, maxDelayMs: 30_000 };

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with "equal jitter" (half
 * fixed, half random) so a fleet of services that lost the broker together does not return in lockstep,
 * while no attempt fires with a near-zero delay as full jitter would allow.
 */
export function reconnectDelay(
  attempt: number,
  { initialDelayMs, maxDelayMs }: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  // 2 ** 1024 is Infinity, and Math.min copes with it, but keep the exponent small to stay exact.
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const capped = Math.min(maxDelayMs, initialDelayMs * 2 ** exponent);
  return Math.round(capped / 2 + (random() * capped) / 2);
}
