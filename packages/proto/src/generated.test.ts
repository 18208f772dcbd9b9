import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';

const root = join(__dirname, '..');
const bin = join(root, 'node_modules', '.bin');

function filesUnder(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return found;
}

describe('the generated code in src/gen', () => {
  it('is what `pnpm generate` makes from proto/ today (regenerate and commit when this fails)', () => {
    const out = mkdtempSync(join(tmpdir(), 'proto-gen-'));
    try {
      // buf and protoc-gen-es both come from node_modules: no network, no remote plugins.
      execFileSync(join(bin, 'buf'), ['generate', '--output', out], {
        cwd: root,
        env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
        stdio: 'pipe',
      });
      const fresh = filesUnder(join(out, 'src', 'gen'));
      const committed = filesUnder(join(root, 'src', 'gen'));
      expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
      for (const [path, text] of fresh) expect({ path, text: committed.get(path) }).toEqual({ path, text });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 30_000);
});
