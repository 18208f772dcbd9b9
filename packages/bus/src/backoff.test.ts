import { reconnectDelay } from './backoff.js';

const bounds = { initialDelayMs: 100, maxDelayMs: 1_000 };

describe('reconnectDelay', () => {
  it('doubles with every attempt', () => {
    const fixed = () => 1;
    expect([0, 1, 2, 3].map((attempt) => reconnectDelay(attempt, bounds, fixed))).toEqual([
      100, 200, 400, 800,
    ]);
  });

  it('never exceeds the cap, however many attempts failed', () => {
    expect(reconnectDelay(4, bounds, () => 1)).toBe(1_000);
    expect(reconnectDelay(10_000, bounds, () => 1)).toBe(1_000);
  });

  it('keeps at least half of the delay when the jitter draws zero', () => {
    expect(reconnectDelay(2, bounds, () => 0)).toBe(200);
  });

  it('spreads delays between half and all of the exponential value', () => {
    const delays = Array.from({ length: 200 }, () => reconnectDelay(3, bounds));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(400);
    expect(Math.max(...delays)).toBeLessThanOrEqual(800);
    expect(new Set(delays).size).toBeGreaterThan(1);
  });

  it('treats a negative attempt as the first one', () => {
    expect(reconnectDelay(-3, bounds, () => 1)).toBe(100);
  });
});
