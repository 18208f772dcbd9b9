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

/** The same rows as a GitHub-flavoured Markdown table. */
export function markdownTable(rows: Row[]): string {
  const [head, ...body] = rows;
  if (!head) return '';
  const line = (row: Row) => `| ${row.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

function columnWidths(rows: Row[]): number[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return widths;
}

const DOC_HEADER = `# Benchmarks

Each section below is written by its app's bench (\`pnpm bench\` at the root runs them one after the
other); everything between a section's markers is replaced on every run, so edit the scripts, not the
numbers.
`;

/**
 * Replaces this bench's section of the shared benchmarks doc (between its begin/end markers), or
 * appends it; other sections and hand-written text outside the markers are left alone.
 */
export function writeDocSection(docPath: string, key: string, markdown: string): void {
  const begin = `<!-- bench:${key}:begin -->`;
  const end = `<!-- bench:${key}:end -->`;
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  const current = existsSync(docPath) ? readFileSync(docPath, 'utf8') : DOC_HEADER;
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  mkdirSync(dirname(docPath), { recursive: true });
  writeFileSync(docPath, next);
}

/** Fixed decimals; "n/a" for a missing or non-finite value. */
export function fmt(value: number | undefined, decimals = 1): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(decimals);
}

export function pct(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : `${(value * 100).toFixed(0)}%`;
}
