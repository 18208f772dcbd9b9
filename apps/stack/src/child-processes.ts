import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all. */
  error?: Error;
}

/** A running service process as the launcher sees it. */
export interface ServiceProcess {
  readonly name: string;
  readonly exited: Promise<ChildExit>;
  isRunning(): boolean;
  kill(signal: NodeJS.Signals): void;
}

export interface SpawnOptions {
  name: string;
  entry: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  prefix: string;
  stdout: Writable;
  stderr: Writable;
}

/** Copies `input` to `output` line by line behind `prefix`; lines (pino JSON) stay whole. */
export function pipePrefixed(input: Readable, output: Writable, prefix: string): void {
  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => output.write(`${prefix}${line}\n`));
}

/** Starts `node <entry>` in `cwd` with its output prefixed. */
export function spawnService(options: SpawnOptions): ServiceProcess {
  const child = spawn(process.execPath, [options.entry], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a terminal Ctrl-C reaches only the launcher, which then stops the
    // children in order (SIGTERM, drain) instead of every process dying at once.
    detached: true,
  });
  pipePrefixed(child.stdout, options.stdout, options.prefix);
  pipePrefixed(child.stderr, options.stderr, options.prefix);
  let running = true;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      // 'error' without a pid means the spawn itself failed and no 'exit' will follow.
      if (child.pid !== undefined) return;
      running = false;
      resolve({ code: null, signal: null, error });
    });
  });
  return {
    name: options.name,
    exited,
    isRunning: () => running,
    kill: (signal) => {
      if (running) child.kill(signal);
    },
  };
}

/** Describes how a child ended, for a log line. */
export function describeExit(exit: ChildExit): string {
  if (exit.error) return `could not start (${exit.error.message})`;
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}

function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    work.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => resolve(false),
    );
  });
}

/** SIGTERM to every running child; SIGKILL whoever has not exited after `graceMs`. */
export async function stopServices(
  children: readonly ServiceProcess[],
  graceMs: number,
  onForce: (names: string[]) => void,
): Promise<void> {
  const running = children.filter((c) => c.isRunning());
  for (const child of running) child.kill('SIGTERM');
  if (await within(graceMs, Promise.all(running.map((c) => c.exited)))) return;
  const stuck = running.filter((c) => c.isRunning());
  onForce(stuck.map((c) => c.name));
  for (const child of stuck) child.kill('SIGKILL');
  await within(5_000, Promise.all(stuck.map((c) => c.exited)));
}

/** What a short-lived child printed and how it ended. */
export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <entry> ...args` to completion and collects its output (for `--print-config`). */
export function runEntry(
  entry: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, ...args], {
      ...options,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const done = (code: number | null, extra = '') =>
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() + extra });
    child.once('error', (error) => done(null, error.message));
    child.once('close', (code) => done(code));
  });
}
