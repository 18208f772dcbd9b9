import { chunkOffsetMs } from './presence.js';

describe('chunkOffsetMs', () => {
  it('sends the first chunk at once and spaces the others evenly, the last before the spread ends', () => {
    const offsets = Array.from({ length: 4 }, (_, index) => chunkOffsetMs(index, 4, 10_000));
    expect(offsets).toEqual([0, 2500, 5000, 7500]);
  });

  it('sends a single chunk, or every chunk without a spread, at once', () => {
    expect(chunkOffsetMs(0, 1, 10_000)).toBe(0);
    expect([0, 1, 2].map((index) => chunkOffsetMs(index, 3, 0))).toEqual([0, 0, 0]);
  });

  it('keeps 100 chunks (10 000 users) inside the spread', () => {
    const last = chunkOffsetMs(99, 100, 10_000);
    expect(last).toBeLessThan(10_000);
    expect(last - chunkOffsetMs(98, 100, 10_000)).toBe(100);
  });
});
