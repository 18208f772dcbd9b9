import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import '../i18n/i18n.js';
import { SignInChart } from './sign-in-chart.js';

afterEach(cleanup);

const hour = (n: number) => new Date(Date.UTC(2026, 2, 1, n)).toISOString();

describe('the sign-in chart', () => {
  it('draws one line per series over every bucket and tells screen readers the totals', () => {
    const { container } = render(
      <SignInChart
        activity={{
          bucket: 'hour',
          from: hour(0),
          to: hour(3),
          points: [
            { at: hour(0), succeeded: 3, failed: 1 },
            { at: hour(1), succeeded: 0, failed: 0 },
            { at: hour(2), succeeded: 7, failed: 4 },
          ],
        }}
      />,
    );
    expect(
      screen.getByRole('img', { name: '10 sign-ins and 5 failed sign-ins in this period.' }),
    ).toBeTruthy();
    const lines = [...container.querySelectorAll('polyline')].map((l) =>
      l.getAttribute('points')?.split(' '),
    );
    expect(lines.map((points) => points?.length)).toEqual([3, 3]);
    // The axis tops out at 10 (the next round number above 7): 7 sign-ins sit 70% of the way up.
    const topLabels = [...container.querySelectorAll('.grid text')].map((t) => t.textContent);
    expect(topLabels.at(-1)).toBe('10');
  });
});
