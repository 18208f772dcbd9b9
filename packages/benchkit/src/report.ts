import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type Row = string[];

/** A plain-text table for the terminal, columns padded to their widest cell. */
export function textTable(rows: Row[]): string {
  const widths = columnWidths(rows);
  const line = (row: Row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  const [head, ...body] = rows;
  if (!head) return '';
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The same rows as a GitHub-flavoured Markdown table, padded as Prettier would leave it. */
export function markdownTable(rows: Row[]): string {
  const widths = columnWidths(rows).map((w) => Math.max(3, w));
  const line = (row: Row) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [head, ...body] = rows;
  if (!head) return '';
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function columnWidths(rows: Row[]): number[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return widths;
}

const DOC_HEADER = `# Benchmarks

Written by the benches in \`apps/*/bench/\` (\`pnpm bench\` at the root); each section between its
markers is replaced on every run.
`;

/**
 * Replaces this bench's section of the shared benchmarks doc (between its begin/end markers), or
 * appends it; other sections and hand-written text outside the markers are left alone.
 */
export function writeDocSection(docPath: string, key: string, markdown: string): void {
  if (process.env.BENCH_CPU_PROF) {
    // A profiled service is slower; the doc keeps the numbers of the last unprofiled run.
    console.log(`profiled run: the ${key} section of ${docPath} is left as it was`);
    return;
  }
  const begin = `<!-- bench:${key}:begin -->`;
  const end = `<!-- bench:${key}:end -->`;
  const block = `${begin}\n\n${markdown.trim()}\n\n${end}`;
  const current = existsSync(docPath) ? readFileSync(docPath, 'utf8') : DOC_HEADER;
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  mkdirSync(dirname(docPath), { recursive: true });
  writeFileSync(docPath, next);
  console.log(`wrote the ${key} section of ${docPath}`);
}

/** Fixed decimals; "n/a" for a missing or non-finite value. */
export function fmt(value: number | undefined, decimals = 1): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(decimals);
}

export function pct(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : `${(value * 100).toFixed(0)}%`;
}

/** The header of `loadCells`, with the name of what is counted per second ('req', 'calls'...). */
export function loadHeader(unit: string): string[] {
  return ['run', `${unit}/s`, 'p50 ms', 'p99 ms', 'refused', 'errors'];
}

/** A measured run's first cells: `<label>, round <n>`, good answers per second, p50, p99, refused, errors. */
export function loadCells(run: {
  label: string;
  round: number;
  okPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}): string[] {
  return [
    `${run.label}, round ${run.round}`,
    fmt(run.okPerSecond, 0),
    fmt(run.p50Ms, 2),
    fmt(run.p99Ms, 2),
    String(run.non2xx),
    String(run.errors),
  ];
}
