import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { appOf, namedVolumes, type ComposeService } from './compose.js';
import { repoRoot } from './render.js';

const run = promisify(execFile);

/** Every scratch folder made here, for removeScratch. */
const scratch: string[] = [];

function scratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** Removes the folders standing for volumes and mounts (call from afterAll). */
export function removeScratch(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Where with-dev-keys.sh finds the key volumes inside a container (dev-keys.sh writes there). */
export const KEYS_ROOT = '/run/platform-keys';

/** The environment infra/docker/Dockerfile's runtime stage bakes in (`ENV NAME=value` lines). */
export function imageEnv(): Record<string, string> {
  const dockerfile = readFileSync(path.join(repoRoot(), 'infra/docker/Dockerfile'), 'utf8');
  const runtime = dockerfile.split(/^FROM .* AS runtime$/m)[1] ?? '';
  return Object.fromEntries([...runtime.matchAll(/^ENV (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
}

/**
 * Runs dev-keys.sh as the `dev-keys` service would, into a fresh folder standing for its volumes, with
 * the repository's build of the keygen CLI. Returns that folder (one subfolder per volume target).
 */
export async function makeDevKeys(): Promise<string> {
  const root = scratchDir('compose-keys-');
  await runDevKeys(root);
  return root;
}

/** One run of dev-keys.sh over `root`; its stdout. */
export async function runDevKeys(root: string): Promise<string> {
  const keygen = path.join(repoRoot(), 'packages/tokens/dist/keygen-cli.js');
  const { stdout } = await run('sh', [path.join(repoRoot(), 'infra/compose/dev-keys.sh')], {
    env: { PATH: process.env.PATH, DEV_KEYS_ROOT: root, KEYGEN: keygen },
  });
  return stdout;
}

/** A folder holding only the key volumes `service` mounts, linked from `keys` (what the container sees). */
function mountedKeys(service: ComposeService, keys: string): string {
  const root = scratchDir('compose-mounts-');
  for (const { target } of namedVolumes(service).filter((v) => v.target.startsWith(`${KEYS_ROOT}/`)))
    symlinkSync(path.join(keys, path.basename(target)), path.join(root, path.basename(target)));
  return root;
}

/**
 * The repository file a container path of an app image stands for: the image's /app is the app's
 * folder, and its node_modules/@platform/<name> the workspace package packages/<name> (pnpm deploy).
 */
function repoPathOf(app: string, file: string): string {
  const pkg = file.match(/^node_modules\/@platform\/([\w-]+)\/(.*)$/);
  return pkg
    ? path.join(repoRoot(), 'packages', pkg[1] ?? '', pkg[2] ?? '')
    : path.join(repoRoot(), 'apps', app, file);
}

/** What `--print-config` reported: the exit code, and the parsed settings (secrets redacted) on success. */
export interface PrintedConfig {
  code: number;
  settings: Record<string, unknown>;
  stderr: string;
}

/**
 * Starts the service's command as its container would (entrypoint, command, the image's environment
 * under compose's, the key volumes it mounts) against the repository's build, with `--print-config`:
 * the app parses its settings with its own schema and exits 78 listing every problem, or 0.
 */
export async function printConfig(service: ComposeService, keys: string): Promise<PrintedConfig> {
  const app = appOf(service);
  if (app === undefined) throw new Error('not an app service');
  const [node, script, ...args] = service.command ?? ['node', 'dist/index.js'];
  if (node !== 'node' || script === undefined) throw new Error(`unexpected command ${service.command}`);
  const entrypoint = (service.entrypoint ?? []).map((part) =>
    part.startsWith('/compose/')
      ? path.join(repoRoot(), 'infra/compose', part.slice('/compose/'.length))
      : part,
  );
  const [program = 'node', ...rest] = [
    ...entrypoint,
    'node',
    repoPathOf(app, script),
    ...args,
    '--print-config',
  ];
  try {
    const { stdout, stderr } = await run(program, rest, {
      cwd: path.join(repoRoot(), 'apps', app),
      env: {
        PATH: process.env.PATH,
        ...imageEnv(),
        ...service.environment,
        DEV_KEYS_ROOT: mountedKeys(service, keys),
      },
    });
    const parsed = JSON.parse(stdout) as { settings: Record<string, unknown> };
    return { code: 0, settings: parsed.settings, stderr };
  } catch (error) {
    const failure = error as { code?: number; stderr?: string; message: string };
    return { code: failure.code ?? -1, settings: {}, stderr: failure.stderr ?? failure.message };
  }
}
