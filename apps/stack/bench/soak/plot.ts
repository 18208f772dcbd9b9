/** One line of a panel: its name and its points (x in minutes; NaN y leaves a gap). */
export interface Series {
  name: string;
  points: { x: number; y: number }[];
}

interface Panel {
  title: string;
  unit: string;
  log: boolean;
  series: Series[];
}

const COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];
const WIDTH = 960;
const PANEL_HEIGHT = 300;
const LEFT = 70;
const RIGHT = 250;
const TOP = 40;
const BOTTOM = 40;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const round = (n: number) => Math.round(n * 10) / 10;

/** Round tick values covering [min, max]: 1-2-5 steps, or powers of ten on a log axis. */
function ticks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let p = Math.floor(Math.log10(min)); p <= Math.ceil(Math.log10(max)); p += 1) out.push(10 ** p);
    return out;
  }
  const raw = (max - min) / 5 || 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.floor(min / step) * step; t <= max + step / 2; t += step) out.push(t);
  return out;
}

function panel(p: Panel, top: number, xMax: number): string {
  const ys = p.series
    .flatMap((s) => s.points.map((pt) => pt.y))
    .filter((y) => Number.isFinite(y) && (!p.log || y > 0));
  const yTicks = ticks(p.log ? Math.max(0.1, Math.min(...ys)) : 0, ys.length ? Math.max(...ys) : 1, p.log);
  const yMin = yTicks[0] ?? 0;
  const yMax = yTicks.at(-1) ?? 1;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = PANEL_HEIGHT - TOP - BOTTOM;
  const sx = (x: number) => LEFT + (x / xMax) * plotW;
  const sy = (y: number) => {
    const f = p.log
      ? (Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin) || 1)
      : (y - yMin) / (yMax - yMin || 1);
    return top + TOP + plotH - f * plotH;
  };
  const out: string[] = [
    `<text x="${LEFT}" y="${top + 24}" font-size="15" font-weight="bold">${escape(p.title)}</text>`,
  ];
  for (const t of yTicks) {
    out.push(
      `<line x1="${LEFT}" x2="${LEFT + plotW}" y1="${round(sy(t))}" y2="${round(sy(t))}" stroke="#ddd"/>`,
    );
    out.push(`<text x="${LEFT - 6}" y="${round(sy(t)) + 4}" font-size="11" text-anchor="end">${t}</text>`);
  }
  for (const t of ticks(0, xMax, false).filter((t) => t <= xMax)) {
    out.push(
      `<line x1="${round(sx(t))}" x2="${round(sx(t))}" y1="${top + TOP}" y2="${top + TOP + plotH}" stroke="#eee"/>`,
    );
    out.push(
      `<text x="${round(sx(t))}" y="${top + TOP + plotH + 16}" font-size="11" text-anchor="middle">${t}</text>`,
    );
  }
  out.push(
    `<text x="${LEFT + plotW / 2}" y="${top + PANEL_HEIGHT - 6}" font-size="11" text-anchor="middle">minutes into the run</text>`,
  );
  out.push(
    `<text x="16" y="${top + TOP + plotH / 2}" font-size="11" transform="rotate(-90 16 ${top + TOP + plotH / 2})" text-anchor="middle">${escape(p.unit)}</text>`,
  );
  out.push(
    `<rect x="${LEFT}" y="${top + TOP}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  );
  p.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length] ?? '#000';
    // A missing value (no sample in that window) breaks the line instead of bridging it.
    let d = '';
    let pen = 'M';
    for (const pt of s.points) {
      if (!Number.isFinite(pt.y) || (p.log && pt.y <= 0)) {
        pen = 'M';
        continue;
      }
      d += `${pen}${round(sx(pt.x))},${round(sy(pt.y))} `;
      pen = 'L';
    }
    out.push(`<path d="${d.trim()}" fill="none" stroke="${color}" stroke-width="1.6"/>`);
    const ly = top + TOP + 8 + i * 17;
    out.push(
      `<line x1="${WIDTH - RIGHT + 14}" x2="${WIDTH - RIGHT + 34}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`,
    );
    out.push(`<text x="${WIDTH - RIGHT + 40}" y="${ly + 4}" font-size="11">${escape(s.name)}</text>`);
  });
  return out.join('\n');
}

/** The soak's plot: RSS of every stack process and p99 of every operation, both over time. */
export function soakPlot(
  title: string,
  rss: Series[],
  p99: Series[],
  minutes: number,
  windowSeconds: number,
): string {
  const height = 30 + PANEL_HEIGHT * 2;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${LEFT}" y="20" font-size="13" fill="#555">${escape(title)}</text>`,
    panel({ title: 'RSS per process (MiB)', unit: 'MiB', log: false, series: rss }, 30, minutes),
    panel(
      {
        title: `p99 latency per operation (ms, log scale; ${windowSeconds} s windows)`,
        unit: 'ms',
        log: true,
        series: p99,
      },
      30 + PANEL_HEIGHT,
      minutes,
    ),
    '</svg>',
    '',
  ].join('\n');
}
