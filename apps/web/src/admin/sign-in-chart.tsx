import { useTranslation } from 'react-i18next';
import type { SignInActivity } from '../sdk.js';
import { linePoints, niceMax, xAt, yAt, yTicks, type ChartBox } from './chart-scale.js';

const BOX: ChartBox = { width: 640, height: 220, left: 40, right: 12, top: 12, bottom: 28 };

/** The bucket's start as an axis label: the hour for hourly buckets, the day for daily ones. */
function labelOf(iso: string, bucket: SignInActivity['bucket'], language: string): string {
  const options: Intl.DateTimeFormatOptions =
    bucket === 'hour' ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short' };
  return new Date(iso).toLocaleString(language, options);
}

/**
 * Sign-ins and failed sign-ins per bucket as two lines in inline SVG (no chart library: it is two
 * polylines and a few labels). Screen readers get the totals as the figure's text alternative; the
 * lines are decoration for them. Time runs left to right in both directions of writing.
 */
export function SignInChart({ activity }: { activity: SignInActivity }) {
  const { t, i18n } = useTranslation();
  const { points, bucket } = activity;
  const top = niceMax(Math.max(0, ...points.map((p) => Math.max(p.succeeded, p.failed))));
  const succeeded = points.reduce((sum, p) => sum + p.succeeded, 0);
  const failed = points.reduce((sum, p) => sum + p.failed, 0);
  // About six labels on the x axis whatever the number of buckets.
  const every = Math.max(1, Math.ceil(points.length / 6));
  const summary = t('admin.chartSummary', { succeeded, failed });
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${BOX.width} ${BOX.height}`}
        role="img"
        aria-label={summary}
        direction="ltr"
        preserveAspectRatio="xMidYMid meet"
      >
        {yTicks(top).map((value) => (
          <g key={value} className="grid">
            <line
              x1={BOX.left}
              x2={BOX.width - BOX.right}
              y1={yAt(value, top, BOX)}
              y2={yAt(value, top, BOX)}
            />
            <text x={BOX.left - 6} y={yAt(value, top, BOX) + 4} textAnchor="end">
              {Math.round(value)}
            </text>
          </g>
        ))}
        {points.map((point, i) =>
          i % every === 0 ? (
            <text
              key={point.at}
              className="x-label"
              x={xAt(i, points.length, BOX)}
              y={BOX.height - 8}
              textAnchor="middle"
            >
              {labelOf(point.at, bucket, i18n.language)}
            </text>
          ) : null,
        )}
        <polyline
          className="line succeeded"
          points={linePoints(
            points.map((p) => p.succeeded),
            top,
            BOX,
          )}
        />
        <polyline
          className="line failed"
          points={linePoints(
            points.map((p) => p.failed),
            top,
            BOX,
          )}
        />
      </svg>
      <figcaption>
        <span className="key succeeded" aria-hidden="true" /> {t('admin.succeeded')}: {succeeded}{' '}
        <span className="key failed" aria-hidden="true" /> {t('admin.failed')}: {failed}
      </figcaption>
    </figure>
  );
}
