/** Geometry of the sign-in chart, kept apart from React so it can be checked with numbers. */

export interface ChartBox {
  width: number;
  height: number;
  /** Room for the axis labels: left (inline start) and bottom. */
  left: number;
  bottom: number;
  top: number;
  right: number;
}

/**
 * The top of the y axis: the smallest 1, 2 or 5 times a power of ten that is at least `max`, so the
 * ticks are round numbers; at least 1 (an empty chart still has an axis).
 */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** `count` + 1 evenly spaced values from 0 to `top`, without fractions when `top` is small. */
export function yTicks(top: number, count = 4): number[] {
  const steps = top < count ? top : count;
  return Array.from({ length: steps + 1 }, (_, i) => (top * i) / steps);
}

/** The x of the `index`-th of `n` points: spread across the plot, the first and last on its edges. */
export function xAt(index: number, n: number, box: ChartBox): number {
  const plot = box.width - box.left - box.right;
  return box.left + (n <= 1 ? plot / 2 : (plot * index) / (n - 1));
}

/** The y of `value` on an axis from 0 (bottom) to `top`. */
export function yAt(value: number, top: number, box: ChartBox): number {
  const plot = box.height - box.top - box.bottom;
  return box.top + plot - (plot * Math.min(value, top)) / top;
}

/** An SVG polyline's `points` for a series. */
export function linePoints(values: readonly number[], top: number, box: ChartBox): string {
  return values
    .map((value, i) => `${xAt(i, values.length, box).toFixed(1)},${yAt(value, top, box).toFixed(1)}`)
    .join(' ');
}
