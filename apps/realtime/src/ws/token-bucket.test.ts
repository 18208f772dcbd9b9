import { fullBucket, takeToken } from './token-bucket.js';

describe('takeToken', () => {
  it('allows a burst of the rate, then refuses', () => {
    const bucket = fullBucket(5, 0);
    const taken = Array.from({ length: 7 }, () => takeToken(bucket, 5, 0));
    expect(taken).toEqual([true, true, true, true, true, false, false]);
  });

  it('refills in proportion to the time elapsed', () => {
    const bucket = fullBucket(10, 0);
    for (let i = 0; i < 10; i++) takeToken(bucket, 10, 0);
    expect(takeToken(bucket, 10, 50)).toBe(false);
    expect(takeToken(bucket, 10, 100)).toBe(true);
    expect(takeToken(bucket, 10, 100)).toBe(false);
  });

  it('never holds more than one burst, however long the socket was idle', () => {
    const bucket = fullBucket(3, 0);
    const taken = Array.from({ length: 5 }, () => takeToken(bucket, 3, 3_600_000));
    expect(taken.filter(Boolean)).toHaveLength(3);
  });

  it('does not refill when the clock goes backwards', () => {
    const bucket = fullBucket(1, 1000);
    expect(takeToken(bucket, 1, 1000)).toBe(true);
    expect(takeToken(bucket, 1, 0)).toBe(false);
  });
});
