import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { layout, rowAt, useVirtualList, visibleRange } from './virtual-list.js';

afterEach(cleanup);

describe('the virtual list layout', () => {
  const keys = ['a', 'b', 'c', 'd'];
  const heights: Record<string, number> = { a: 10, b: 20, c: 30, d: 40 };
  const offsets = layout(keys, (key) => heights[key] ?? 0);

  it('stacks rows of different heights', () => {
    expect([...offsets]).toEqual([0, 10, 30, 60, 100]);
  });

  it('finds the row under a point, the last row past the end', () => {
    expect([0, 9, 10, 29, 30, 99, 500].map((y) => rowAt(offsets, y))).toEqual([0, 0, 1, 1, 2, 3, 3]);
  });

  it('renders only the rows overlapping the viewport and its overscan', () => {
    expect(visibleRange(offsets, 12, 10, 0)).toEqual({ start: 1, end: 2 });
    expect(visibleRange(offsets, 12, 10, 15)).toEqual({ start: 0, end: 3 });
    expect(
      visibleRange(
        layout([], () => 1),
        0,
        100,
        10,
      ),
    ).toEqual({ start: 0, end: 0 });
  });
});

function Log({ count }: { count: number }) {
  const keys = Array.from({ length: count }, (_, i) => `m${i}`);
  const { setContainer, onScroll, measure, total, rows } = useVirtualList({ keys, estimate: () => 80 });
  return (
    <div ref={setContainer} role="log" onScroll={onScroll}>
      <div style={{ height: total }}>
        {rows.map((row) => (
          <div key={row.key} data-key={row.key} ref={measure} role="article">
            {row.key}
          </div>
        ))}
      </div>
    </div>
  );
}

describe('the virtual list', () => {
  it('keeps ten thousand rows out of the DOM but the ones in view', () => {
    const { getAllByRole } = render(<Log count={10_000} />);
    const rendered = getAllByRole('article');
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.length).toBeLessThan(40);
    // The full height is laid out, so the scrollbar is right.
    expect(getAllByRole('log')[0]?.firstElementChild?.getAttribute('style')).toContain('800000px');
  });
});
