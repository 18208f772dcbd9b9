import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processCpuSeconds } from './machine.js';

export interface ChildSpec {
  /** Names the log file and the error messages. */
  name: string;
  /** Arguments to `node` (the entry file last). */
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Polled until it answers 200: the child is ready for load. */
  readyUrl: string;
  readyTimeoutMs?: number;
}

export interface RunningChild {
  /** The spec's name, for reports. */
  name: string;
  pid: number;
  /** Epoch ms just before the spawn: where a profile the child writes starts. */
  startedAt: number;
  /** CPU seconds (user + system) the child has used so far; undefined without /proc. */
  cpuSeconds(): number | undefined;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
let started = 0;

/** `--import` target that lets a child node process run TypeScript, as this bench process does. */
export function tsxImport(): string {
  return import.meta.resolve('tsx');
}

// A bench stopped by an error or Ctrl-C must not leave a server holding a port and a database.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a system under test in its own node process, so it never shares an event loop (or a CPU
 * timeslice) with the load generator. Its stdout/stderr go to a temporary file rather than a pipe:
 * draining a pipe would cost the bench process CPU, and the file is shown if the child fails.
 */
export async function startChild(spec: ChildSpec): Promise<RunningChild> {
  started += 1;
  const logFile = join(tmpdir(), `platform-bench-${spec.name}-${process.pid}-${started}.log`);
  const fd = openSync(logFile, 'w');
  const startedAt = Date.now();
  const child = spawn(process.execPath, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  exited.finally(() => running.delete(child)).catch(() => undefined);

  const failed = (why: string) => new Error(`${spec.name} ${why}; its log (${logFile}):\n${tail(logFile)}`);
  try {
    await waitReady(spec, exited, failed);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }

  const pid = child.pid ?? -1;
  return {
    name: spec.name,
    pid,
    startedAt,
    cpuSeconds: () => processCpuSeconds(pid),
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      rmSync(logFile, { force: true });
    },
  };
}

async function waitReady(
  spec: ChildSpec,
  exited: Promise<number | null>,
  failed: (why: string) => Error,
): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + (spec.readyTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (gone) throw failed('exited before it was ready');
    const response = await fetch(spec.readyUrl).catch(() => undefined);
    await response?.arrayBuffer();
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw failed(`was not ready at ${spec.readyUrl} within ${spec.readyTimeoutMs ?? 30_000} ms`);
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
