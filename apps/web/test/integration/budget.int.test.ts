import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** The production build's budget: what a first visit must download before the app runs. */
const DIST = path.resolve(__dirname, '../../dist');
const BUDGET_BYTES = 250 * 1024;
/** Chunks that must load on demand only: the console, the settings pages, the emoji picker and its data. */
const LAZY = ['console-page', 'profile-page', 'security-page', 'emoji-picker'];

/** The scripts index.html loads, and every script they import statically (not `import()`), recursively. */
function initialScripts(): string[] {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const queue = [
    ...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/([^"]+\.js)"/g),
  ].map((m) => m[1] ?? '');
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(path.join(DIST, file), 'utf8');
    const dir = path.posix.dirname(file);
    // Static imports only: `import{a}from"./x.js"` or `import"./x.js"`; `import("./x.js")` is lazy.
    for (const m of code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.\/[^"']+\.js)["']/g))
      queue.push(path.posix.join(dir, m[1] ?? ''));
  }
  return [...seen];
}

describe('the production build', () => {
  it('is built', () => {
    expect(existsSync(path.join(DIST, 'index.html'))).toBe(true);
  });

  it(`loads at most ${BUDGET_BYTES / 1024} KB of gzipped JavaScript before the app runs`, () => {
    const files = initialScripts();
    expect(files.length).toBeGreaterThan(0);
    const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(DIST, file))).length, 0);
    expect({ files, bytes: bytes <= BUDGET_BYTES ? 'within budget' : bytes }).toEqual({
      files,
      bytes: 'within budget',
    });
  });

  it('leaves the console, the settings pages and the emoji data to chunks loaded on demand', () => {
    const initial = initialScripts().map((file) => path.posix.basename(file));
    const all = readdirSync(path.join(DIST, 'assets'));
    for (const name of LAZY) {
      expect({ name, built: all.some((file) => file.startsWith(`${name}-`)) }).toEqual({ name, built: true });
      expect({ name, initial: initial.filter((file) => file.startsWith(`${name}-`)) }).toEqual({
        name,
        initial: [],
      });
    }
  });
});
