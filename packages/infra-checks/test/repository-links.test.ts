import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ERROR_CATALOGUE } from '@platform/contracts';
import { repoRoot } from './render.js';

// A clone holds only the repository: every document and comment must point inside it.
const SKIP = new Set(['node_modules', 'dist', '.git', '.turbo', 'coverage']);

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full, keep);
    return keep(entry.name) ? [full] : [];
  });
}

const root = repoRoot();
const markdown = filesUnder(root, (name) => name.endsWith('.md'));
const sources = filesUnder(root, (name) => /\.(ts|tsx|md|ya?ml|json|sh)$/.test(name));

/** Relative targets of `[text](target)` links; external URLs and in-page anchors are not files. */
function relativeLinks(text: string): string[] {
  const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
  return targets
    .filter((target) => !/^([a-z]+:|#)/i.test(target))
    .map((target) => decodeURIComponent(target.split('#', 1)[0] ?? ''));
}

describe('links inside the repository', () => {
  it('finds the documents it checks', () => {
    const names = markdown.map((file) => path.relative(root, file));
    expect(names).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md', 'docs/api.md']));
  });

  it('every relative link of every Markdown file resolves to a file inside the repository', () => {
    const broken = markdown.flatMap((file) =>
      relativeLinks(readFileSync(file, 'utf8'))
        .map((target) => ({ target, resolved: path.resolve(path.dirname(file), target) }))
        .filter(({ resolved }) => !resolved.startsWith(`${root}${path.sep}`) || !existsSync(resolved))
        .map(({ target }) => `${path.relative(root, file)} -> ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it('no file cites the design notes outside the repository (../shared, API.md, ARCHITECTURE.md)', () => {
    const citing = sources
      .filter((file) =>
        /\.\.\/shared\/|\bAPI\.md\b|\bARCHITECTURE\.md\b|\bSTYLE\.md\b/.test(readFileSync(file, 'utf8')),
      )
      .map((file) => path.relative(root, file));
    expect(citing.filter((file) => file !== 'packages/infra-checks/test/repository-links.test.ts')).toEqual(
      [],
    );
  });
});

describe('docs/api.md', () => {
  /** Rows of the `## Error codes` table: code and status as written (a number, or `frame`). */
  function documentedCodes(): Record<string, string> {
    const text = readFileSync(path.join(root, 'docs/api.md'), 'utf8');
    const section = text.split(/^## Error codes$/m)[1]?.split(/^## /m)[0] ?? '';
    const rows = [...section.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*([^|]+?)\s*\|/gm)];
    return Object.fromEntries(rows.map((row) => [row[1] ?? '', row[2] ?? '']));
  }

  it('lists exactly the catalogue of error codes, each with its status', () => {
    const expected = Object.fromEntries(
      Object.entries(ERROR_CATALOGUE).map(([code, entry]) => [
        code,
        entry.status === null ? 'frame' : String(entry.status),
      ]),
    );
    expect(documentedCodes()).toEqual(expected);
  });
});
