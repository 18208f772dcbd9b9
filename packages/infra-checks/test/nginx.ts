import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './render.js';

/** One nginx directive: `name args...;` or `name args... { block }`. */
export interface Directive {
  readonly name: string;
  readonly args: string[];
  readonly block?: Directive[];
}

/** Words, quoted strings (quotes removed, escapes kept as nginx reads them) and `{ } ;`, without comments. */
function tokens(text: string): string[] {
  const found: string[] = [];
  const pattern = /#[^\n]*|"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)'|([{};])|([^\s{};"'#]+)/g;
  for (const m of text.matchAll(pattern)) {
    if (m[0].startsWith('#')) continue;
    found.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
  }
  return found;
}

/**
 * Parses nginx configuration: enough of the grammar for infra/compose (no `*_by_lua` blocks). An
 * `include` of a file in infra/compose is replaced by that file's directives, as nginx does once the
 * image has it at that path (edge.Dockerfile copies them).
 */
export function parseNginx(file: string, dir = 'infra/compose'): Directive[] {
  const list = tokens(readFileSync(path.join(repoRoot(), dir, file), 'utf8'));
  let at = 0;
  const block = (): Directive[] => {
    const directives: Directive[] = [];
    while (at < list.length && list[at] !== '}') {
      const words: string[] = [];
      while (at < list.length && list[at] !== ';' && list[at] !== '{') words.push(list[at++] ?? '');
      const [name = '', ...args] = words;
      if (list[at++] === '{') {
        directives.push({ name, args, block: block() });
        at++;
      } else if (name === 'include') {
        directives.push(...parseNginx(path.basename(args[0] ?? '')));
      } else {
        directives.push({ name, args });
      }
    }
    return directives;
  };
  return block();
}

/** The first directive of that name in a block. */
export function first(block: readonly Directive[] | undefined, name: string): Directive | undefined {
  return block?.find((d) => d.name === name);
}

/** Every directive of that name in a block. */
export function all(block: readonly Directive[] | undefined, name: string): Directive[] {
  return (block ?? []).filter((d) => d.name === name);
}

/**
 * The location nginx picks for a (normalised) URI, by its documented order: an exact `=` match; else
 * the longest prefix, kept if it is `^~`; else the first regex in file order that matches; else that
 * longest prefix. Named locations (`@x`) are never picked by a URI.
 */
export function locationFor(server: Directive, uri: string): Directive | undefined {
  const locations = all(server.block, 'location');
  const exact = locations.find((l) => l.args[0] === '=' && l.args[1] === uri);
  if (exact) return exact;
  const prefixes = locations
    .filter((l) => (l.args.length === 1 || l.args[0] === '^~') && !(l.args.at(-1) ?? '').startsWith('@'))
    .filter((l) => uri.startsWith(l.args.at(-1) ?? '\0'))
    .sort((a, b) => (b.args.at(-1)?.length ?? 0) - (a.args.at(-1)?.length ?? 0));
  const longest = prefixes[0];
  if (longest?.args[0] === '^~') return longest;
  const regex = locations.find(
    (l) =>
      (l.args[0] === '~' || l.args[0] === '~*') &&
      new RegExp(l.args[1] ?? '', l.args[0] === '~*' ? 'i' : '').test(uri),
  );
  return regex ?? longest;
}
