import { Batcher } from './batcher.js';

describe('Batcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes a full batch at once and resolves each item after the write', async () => {
    const writes: number[][] = [];
    const batcher = new Batcher<number>({
      maxSize: 3,
      maxWaitMs: 1_000,
      write: async (items) => (writes.push(items), []),
    });
    const done = [1, 2, 3].map((n) => batcher.add(n));
    await Promise.all(done);
    expect(writes).toEqual([[1, 2, 3]]);
  });

  it('writes a partial batch when its oldest item has waited maxWaitMs', async () => {
    const writes: number[][] = [];
    const batcher = new Batcher<number>({
      maxSize: 10,
      maxWaitMs: 500,
      write: async (items) => (writes.push(items), []),
    });
    const first = batcher.add(1);
    jest.advanceTimersByTime(300);
    const second = batcher.add(2);
    expect(writes).toEqual([]);
    jest.advanceTimersByTime(200);
    await Promise.all([first, second]);
    expect(writes).toEqual([[1, 2]]);
  });

  it('rejects every item of a failed batch and keeps accepting new ones', async () => {
    let fail = true;
    const batcher = new Batcher<number>({
      maxSize: 2,
      maxWaitMs: 1_000,
      write: async () => {
        if (fail) throw new Error('database down');
        return [];
      },
    });
    const failed = [batcher.add(1), batcher.add(2)];
    await expect(Promise.all(failed)).rejects.toThrow('database down');
    await expect(failed[1]).rejects.toThrow('database down');
    fail = false;
    await expect(Promise.all([batcher.add(3), batcher.add(4)])).resolves.toBeDefined();
  });

  it('rejects only the items the write reports as failed', async () => {
    const batcher = new Batcher<number>({
      maxSize: 3,
      maxWaitMs: 1_000,
      write: async (items) => items.map((n) => (n === 2 ? new Error('bad row') : undefined)),
    });
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('drain writes what is pending without waiting for the timer', async () => {
    const writes: number[][] = [];
    const batcher = new Batcher<number>({
      maxSize: 10,
      maxWaitMs: 60_000,
      write: async (items) => (writes.push(items), []),
    });
    const item = batcher.add(7);
    await batcher.drain();
    await item;
    expect(writes).toEqual([[7]]);
    expect(batcher.size).toBe(0);
  });
});
