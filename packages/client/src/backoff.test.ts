import { backoffDelay } from './backoff.js';

describe('backoffDelay (exponential, full jitter)', () => {
  const options = { baseMs: 100, maxMs: 5000 };

  it('draws between 0 and base * 2^attempt', () => {
    expect(backoffDelay(0, options, () => 0)).toBe(0);
    expect(backoffDelay(0, options, () => 0.999)).toBe(99);
    expect(backoffDelay(3, options, () => 0.5)).toBe(400);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    expect(backoffDelay(30, options, () => 0.999)).toBe(4995);
    expect(backoffDelay(1000, options, () => 0.999)).toBeLessThan(5000);
  });

  it('spreads clients over the whole window rather than retrying in step', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelay(4, options));
    expect(Math.min(...delays)).toBeLessThan(400);
    expect(Math.max(...delays)).toBeGreaterThan(1200);
    expect(delays.every((d) => d >= 0 && d < 1600)).toBe(true);
  });
});
