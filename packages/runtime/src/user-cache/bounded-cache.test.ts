import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('answers a value until it expires', () => {
    const cache = new BoundedCache<string>(10, 1000);
    cache.set('a', 'A', 0);
    expect(cache.get('a', 999)).toBe('A');
    expect(cache.get('a', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry when full', () => {
    const cache = new BoundedCache<string>(2, 1000);
    cache.set('a', 'A', 0);
    cache.set('b', 'B', 0);
    cache.get('a', 1); // a is now the most recent
    cache.set('c', 'C', 2);
    expect(cache.get('b', 3)).toBeUndefined();
    expect(cache.get('a', 3)).toBe('A');
    expect(cache.get('c', 3)).toBe('C');
  });

  it('overwrites a key without growing, and forgets on delete and clear', () => {
    const cache = new BoundedCache<string>(2, 1000);
    cache.set('a', 'A', 0);
    cache.set('a', 'A2', 0);
    expect(cache.size).toBe(1);
    expect(cache.get('a', 0)).toBe('A2');
    cache.delete('a');
    expect(cache.get('a', 0)).toBeUndefined();
    cache.set('b', 'B', 0);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('holds nothing when sized or timed to zero', () => {
    const cache = new BoundedCache<string>(0, 1000);
    cache.set('a', 'A', 0);
    expect(cache.get('a', 0)).toBeUndefined();
  });
});
