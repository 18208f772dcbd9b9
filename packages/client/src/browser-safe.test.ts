import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

// The SDK runs in browsers: nothing it loads at run time may need a Node module. This walks the import
// graph from src/index.ts through our own packages' sources, skipping imports erased at compile time.

const packagesDir = path.join(__dirname, '..', '..');
const NODE_BUILTINS = new Set(builtinModules);
/** Third-party packages the SDK may load, which are browser-safe themselves. */
const ALLOWED_PACKAGES = new Set(['zod']);

/** Runtime import specifiers of a TypeScript file (`import type` and all-`type` import lists are erased). */
function runtimeImports(source: string): string[] {
  const statements = source.matchAll(/^\s*(import|export)\s+([^;]*?)\s+from\s+'([^']+)'/gms);
  const specifiers: string[] = [];
  for (const [, , clause = '', specifier = ''] of statements) {
    if (/^type\s/.test(clause)) continue;
    const named = /^\{([^}]*)\}$/s.exec(clause.trim());
    const names =
      named?.[1]
        ?.split(',')
        .map((n) => n.trim())
        .filter(Boolean) ?? [];
    if (named && names.length > 0 && names.every((n) => n.startsWith('type '))) continue;
    specifiers.push(specifier);
  }
  for (const [, specifier = ''] of source.matchAll(/^\s*import\s+'([^']+)'/gm)) specifiers.push(specifier);
  for (const [, specifier = ''] of source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g))
    specifiers.push(specifier);
  return specifiers;
}

function resolveLocal(from: string, specifier: string): string {
  if (specifier.startsWith('@platform/'))
    return path.join(packagesDir, specifier.slice('@platform/'.length), 'src', 'index.ts');
  const target = path.resolve(path.dirname(from), specifier.replace(/\.js$/, '.ts'));
  return existsSync(target) ? target : path.join(target.replace(/\.ts$/, ''), 'index.ts');
}

/** Every file reached at run time from `entry`, and every outside package or Node module named. */
function importGraph(entry: string) {
  const files = new Set<string>();
  const external = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of runtimeImports(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.') || specifier.startsWith('@platform/'))
        queue.push(resolveLocal(file, specifier));
      else external.set(specifier, path.relative(packagesDir, file));
    }
  }
  return { files, external };
}

describe('what the SDK loads at run time', () => {
  const { files, external } = importGraph(path.join(__dirname, 'index.ts'));

  it('reaches the contracts it is typed by, through their sources', () => {
    expect([...files].some((f) => f.includes(`${path.sep}contracts${path.sep}`))).toBe(true);
  });

  it('reaches no node: module and no Node built-in, in its own code or in the packages it imports', () => {
    const node = [...external].filter(
      ([name]) => name.startsWith('node:') || NODE_BUILTINS.has(name.split('/')[0] ?? ''),
    );
    expect(node.map(([name, file]) => `${file} imports ${name}`)).toEqual([]);
  });

  it('loads no third-party package but browser-safe ones', () => {
    expect([...external.keys()].filter((name) => !ALLOWED_PACKAGES.has(name))).toEqual([]);
  });

  it('would notice one (the walker sees the import contracts had before it was made browser-safe)', () => {
    expect(
      runtimeImports("import { STATUS_CODES } from 'node:http';\nimport type { X } from 'node:fs';"),
    ).toEqual(['node:http']);
  });
});
