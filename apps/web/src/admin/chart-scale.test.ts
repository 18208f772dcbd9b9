import { describe, expect, it } from 'vitest';
import { linePoints, niceMax, xAt, yAt, yTicks, type ChartBox } from './chart-scale.js';

const box: ChartBox = { width: 110, height: 60, left: 10, right: 0, top: 0, bottom: 10 };

describe('the sign-in chart’s scale', () => {
  it('rounds the top of the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 10, 11, 180, 501].map(niceMax)).toEqual([1, 1, 5, 10, 10, 20, 200, 1000]);
  });

  it('puts whole-number ticks from 0 to the top', () => {
    expect(yTicks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(yTicks(2)).toEqual([0, 1, 2]);
  });

  it('spreads points across the plot and maps 0 to the bottom and the top to the top', () => {
    expect([xAt(0, 3, box), xAt(1, 3, box), xAt(2, 3, box)]).toEqual([10, 60, 110]);
    expect(xAt(0, 1, box)).toBe(60);
    expect([yAt(0, 10, box), yAt(10, 10, box), yAt(5, 10, box)]).toEqual([50, 0, 25]);
    expect(linePoints([0, 10], 10, box)).toBe('10.0,50.0 110.0,0.0');
  });
});
