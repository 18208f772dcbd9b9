import { UserCache, type ChangeSource } from './user-cache.js';

/** A change source driven by the test: `current` toggles, `change` tells the watchers. */
function source() {
  const watchers: ((userId: string | null) => void)[] = [];
  const feed = {
    current: true,
    isCurrent: () => feed.current,
    watch: (watcher: (userId: string | null) => void) => watchers.push(watcher),
    change: (userId: string | null) => watchers.forEach((watch) => watch(userId)),
  };
  return feed satisfies ChangeSource;
}

function counting(value: string | null) {
  const load = jest.fn(async () => value);
  return load;
}

describe('UserCache', () => {
  it('reads once, then answers from memory until the user changes', async () => {
    const feed = source();
    const cache = new UserCache<string>(feed, { maxEntries: 10, ttlMs: 60_000 });
    const load = counting('Ada');
    expect(await cache.get('u1', load)).toBe('Ada');
    expect(await cache.get('u1', load)).toBe('Ada');
    expect(load).toHaveBeenCalledTimes(1);
    feed.change('u2');
    await cache.get('u1', load);
    expect(load).toHaveBeenCalledTimes(1);
    feed.change('u1');
    await cache.get('u1', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('forgets everything when changes may have been missed', async () => {
    const feed = source();
    const cache = new UserCache<string>(feed, { maxEntries: 10, ttlMs: 60_000 });
    const load = counting('Ada');
    await cache.get('u1', load);
    feed.change(null);
    await cache.get('u1', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('reads through, keeping nothing, while the change feed is not current', async () => {
    const feed = source();
    const lookups: string[] = [];
    const cache = new UserCache<string>(feed, {
      maxEntries: 10,
      ttlMs: 60_000,
      onLookup: (result) => lookups.push(result),
    });
    const load = counting('Ada');
    await cache.get('u1', load);
    feed.current = false;
    await cache.get('u1', load);
    feed.current = true;
    await cache.get('u1', load);
    await cache.get('u1', load);
    expect(load).toHaveBeenCalledTimes(3);
    expect(lookups).toEqual(['miss', 'bypass', 'miss', 'hit']);
  });

  it('does not keep a value that a change overtook while it was being read', async () => {
    const feed = source();
    const cache = new UserCache<string>(feed, { maxEntries: 10, ttlMs: 60_000 });
    const stale = cache.get('u1', async () => {
      feed.change('u1'); // the row changes while this read is in flight
      return 'old';
    });
    expect(await stale).toBe('old');
    const load = counting('new');
    expect(await cache.get('u1', load)).toBe('new');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('never keeps a missing user', async () => {
    const cache = new UserCache<string>(source(), { maxEntries: 10, ttlMs: 60_000 });
    const load = counting(null);
    expect(await cache.get('u1', load)).toBeNull();
    expect(await cache.get('u1', load)).toBeNull();
    expect(load).toHaveBeenCalledTimes(2);
  });
});
