import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type UIEvent } from 'react';

/**
 * A list that renders only the rows near the viewport, with rows of any height: each row's height is
 * measured once it renders (a ResizeObserver) and estimated until then. Built for a chat log: it
 * sticks to the bottom while the reader is there, keeps the row they are reading still when older
 * rows are prepended or heights change, and says when the reader nears either end.
 */

/** Start offset of every row, and the total height after the last. */
export function layout(keys: readonly string[], heightOf: (key: string) => number): Float64Array {
  const offsets = new Float64Array(keys.length + 1);
  for (let i = 0; i < keys.length; i += 1) offsets[i + 1] = (offsets[i] ?? 0) + heightOf(keys[i] ?? '');
  return offsets;
}

/** The first row whose bottom is below `y` (binary search over the offsets). */
export function rowAt(offsets: Float64Array, y: number): number {
  let low = 0;
  let high = offsets.length - 2;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((offsets[mid + 1] ?? 0) <= y) low = mid + 1;
    else high = mid;
  }
  return Math.max(0, low);
}

/** The rows to render for a viewport: those overlapping it, plus `overscan` pixels on both sides. */
export function visibleRange(
  offsets: Float64Array,
  top: number,
  height: number,
  overscan: number,
): { start: number; end: number } {
  const count = offsets.length - 1;
  if (count <= 0) return { start: 0, end: 0 };
  const start = rowAt(offsets, Math.max(0, top - overscan));
  const end = Math.min(count, rowAt(offsets, top + height + overscan) + 1);
  return { start, end };
}

interface Options {
  keys: readonly string[];
  estimate(key: string): number;
  /** Called when the reader scrolls within this many pixels of the top / bottom. */
  onNearTop?(): void;
  onNearBottom?(): void;
  /** A row to bring to the middle of the viewport (a search hit); scrolled to once it exists. */
  scrollTo?: string | null;
}

const OVERSCAN = 800;
const NEAR = 600;

export function useVirtualList({ keys, estimate, onNearTop, onNearBottom, scrollTo }: Options) {
  const scroller = useRef<HTMLDivElement | null>(null);
  const [mounted, setMounted] = useState(false);
  const [heights, setHeights] = useState<ReadonlyMap<string, number>>(() => new Map());
  const [viewport, setViewport] = useState({ top: 0, height: 600 });
  const stick = useRef(true);
  /** The rows at the top of the viewport and how far above it each starts: the first still there is kept still. */
  const anchor = useRef<{ key: string; delta: number }[]>([]);
  const scrolledTo = useRef<string | null>(null);

  const heightOf = useCallback((key: string) => heights.get(key) ?? estimate(key), [heights, estimate]);
  const offsets = useMemo(() => layout(keys, heightOf), [keys, heightOf]);
  const indexOf = useMemo(() => new Map(keys.map((key, i) => [key, i])), [keys]);
  const total = offsets[keys.length] ?? 0;

  const observer = useMemo(
    () =>
      typeof ResizeObserver === 'function'
        ? new ResizeObserver((entries) =>
            setHeights((before) => {
              let after: Map<string, number> | null = null;
              for (const entry of entries) {
                const key = (entry.target as HTMLElement).dataset.key;
                const height = Math.ceil(entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height);
                if (!key || height <= 0 || before.get(key) === height) continue;
                after ??= new Map(before);
                after.set(key, height);
              }
              return after ?? before;
            }),
          )
        : null,
    [],
  );
  useEffect(() => () => observer?.disconnect(), [observer]);

  /** The ref of one rendered row: observed while it is in the DOM. */
  const measure = useCallback(
    (row: HTMLElement | null) => {
      if (row) observer?.observe(row);
      return () => {
        if (row) observer?.unobserve(row);
      };
    },
    [observer],
  );

  // After every layout change: to the hit, to the bottom, or keep the anchored row where it was.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const target = scrollTo ? indexOf.get(scrollTo) : undefined;
    let next: number | null = null;
    if (scrollTo && target !== undefined && scrolledTo.current !== scrollTo) {
      scrolledTo.current = scrollTo;
      stick.current = false;
      next = (offsets[target] ?? 0) - element.clientHeight / 2 + heightOf(scrollTo) / 2;
    } else if (stick.current) {
      next = total - element.clientHeight;
    } else {
      // Several candidates: a row can disappear (a day separator moves to the newly prepended first message).
      const kept = anchor.current.find((a) => indexOf.has(a.key));
      if (kept) next = (offsets[indexOf.get(kept.key) ?? 0] ?? 0) - kept.delta;
    }
    // The scroll event this causes brings the viewport state along.
    if (next !== null && Math.abs(element.scrollTop - next) > 1) element.scrollTop = Math.max(0, next);
  }, [mounted, offsets, total, indexOf, scrollTo, heightOf]);

  const onScroll = useCallback(
    (event: UIEvent<HTMLDivElement>) => {
      const element = event.currentTarget;
      const top = element.scrollTop;
      stick.current = top + element.clientHeight >= total - 4;
      const first = rowAt(offsets, top);
      anchor.current = keys
        .slice(first, first + 4)
        .map((key, i) => ({ key, delta: (offsets[first + i] ?? 0) - top }));
      setViewport({ top, height: element.clientHeight });
      if (top < NEAR) onNearTop?.();
      if (top + element.clientHeight > total - NEAR) onNearBottom?.();
    },
    [offsets, keys, total, onNearTop, onNearBottom],
  );

  // Still at the top after a page arrived (or the rows are short): ask for the next one, without a scroll.
  useEffect(() => {
    const element = scroller.current;
    if (element && !stick.current && element.scrollTop < NEAR) onNearTop?.();
  }, [keys.length, onNearTop]);

  const toBottom = useCallback(() => {
    stick.current = true;
    if (scroller.current) scroller.current.scrollTop = total;
  }, [total]);

  /** The scrolling element's ref: its height is the first viewport. */
  const setContainer = useCallback((element: HTMLDivElement | null) => {
    scroller.current = element;
    setMounted(element !== null);
    if (element) setViewport({ top: element.scrollTop, height: element.clientHeight || 600 });
  }, []);

  /** Whether the rows overflow the viewport (else there is nothing to scroll, and no way to ask for more). */
  const overflows = total > viewport.height;

  const range = visibleRange(offsets, viewport.top, viewport.height, OVERSCAN);
  return {
    setContainer,
    overflows,
    onScroll,
    measure,
    total,
    /** The rows to render, each with its index and top offset. */
    rows: keys.slice(range.start, range.end).map((key, i) => ({
      key,
      index: range.start + i,
      top: offsets[range.start + i] ?? 0,
    })),
    /** Back to the newest row, and stay there. */
    toBottom,
  };
}
