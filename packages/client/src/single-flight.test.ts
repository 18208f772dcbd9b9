import { singleFlight } from './single-flight.js';

describe('singleFlight', () => {
  it('runs the task once for every caller while it is in flight, and again afterwards', async () => {
    let runs = 0;
    let release: (value: number) => void = () => undefined;
    const once = singleFlight(() => {
      runs += 1;
      return new Promise<number>((resolve) => (release = resolve));
    });
    const callers = [once(), once(), once()];
    release(42);
    expect(await Promise.all(callers)).toEqual([42, 42, 42]);
    expect(runs).toBe(1);
    const next = once();
    release(43);
    expect(await next).toBe(43);
    expect(runs).toBe(2);
  });

  it('shares a failure too, and lets the next call try again', async () => {
    let runs = 0;
    const once = singleFlight(async () => {
      runs += 1;
      if (runs === 1) throw new Error('offline');
      return 'ok';
    });
    await expect(Promise.all([once(), once()])).rejects.toThrow('offline');
    await expect(once()).resolves.toBe('ok');
    expect(runs).toBe(2);
  });
});
