import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a server's CPU goes when it writes to sockets, from `perf` samples of its process: the sender's
 * side of its write system calls, the TCP receive path that Linux runs inside those writes, and the
 * rest. On loopback a send hands the segment to the receiving socket within the same call (the
 * softirq runs on the way out of it), so the receiver's TCP work, which on a real network runs on the
 * receiving machine, is charged to the server's kernel time. Telling the three apart shows what a
 * fanout costs the server itself, and what no server could save (its own send path).
 */
export interface KernelSplit {
  samples: number;
  /** Shares of the samples (0..1): inside a write system call, sender's side only. */
  send: number;
  /** The receive path (net_rx_action) run in the process, inside its writes or elsewhere. */
  receive: number;
  /** Everything else: user space, the event loop's own system calls, timers. */
  rest: number;
}

/** Kernel frames of a write to a socket, whichever call the server's library makes. */
const WRITE_FRAMES = new Set(['__sys_sendto', '__sys_sendmsg', '___sys_sendmsg', 'do_writev', 'ksys_write']);
/** The softirq that processes packets on receipt; on loopback it runs in the sender. */
const RECEIVE_FRAMES = new Set(['net_rx_action']);

/** Classifies the samples of `perf script -F ip,sym` text (blank-line separated call stacks). */
export function classifyPerfScript(text: string): KernelSplit {
  let samples = 0;
  let send = 0;
  let receive = 0;
  for (const block of text.split(/\n\s*\n/)) {
    const frames = block
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[1])
      .filter((sym): sym is string => sym !== undefined);
    if (frames.length === 0) continue;
    samples += 1;
    if (frames.some((f) => RECEIVE_FRAMES.has(f))) receive += 1;
    else if (frames.some((f) => WRITE_FRAMES.has(f))) send += 1;
  }
  const share = (n: number) => (samples ? n / samples : 0);
  return { samples, send: share(send), receive: share(receive), rest: share(samples - send - receive) };
}

/** Whether `perf` is installed and may sample kernel stacks of our children (root, or paranoid <= 1). */
export function kernelSamplingAvailable(): boolean {
  if (spawnSync('perf', ['--version'], { stdio: 'ignore' }).status !== 0) return false;
  if (process.getuid?.() === 0) return true;
  try {
    return Number(readFileSync('/proc/sys/kernel/perf_event_paranoid', 'utf8')) <= 1;
  } catch {
    return false;
  }
}

export interface KernelSampler {
  /** Stops sampling and classifies what was recorded; undefined when perf failed. */
  stop(): Promise<KernelSplit | undefined>;
}

/**
 * Samples `pid` (all its threads) at 499 Hz with call stacks, until stop(). Sampling costs
 * the process about 1% here; the split is a share, so the samples missed while perf attaches do not
 * matter. Undefined when perf cannot be used (see kernelSamplingAvailable).
 */
export async function startKernelSampler(pid: number): Promise<KernelSampler | undefined> {
  if (!kernelSamplingAvailable()) return undefined;
  const file = join(tmpdir(), `benchkit-perf-${process.pid}-${pid}-${Date.now()}.data`);
  const perf = spawn(
    'perf',
    ['record', '-q', '-e', 'cpu-clock', '-F', '499', '-g', '-p', String(pid), '-o', file],
    { stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => {
    perf.once('exit', (code) => resolve(code));
    perf.once('error', () => resolve(-1));
  });
  await new Promise((resolve) => setTimeout(resolve, 200)); // attached by then
  return {
    async stop() {
      perf.kill('SIGINT');
      const code = await exited;
      try {
        if (code !== 0 && code !== null) return undefined;
        const script = spawnSync('perf', ['script', '-i', file, '-F', 'ip,sym'], {
          encoding: 'utf8',
          maxBuffer: 1 << 30,
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        return script.status === 0 ? classifyPerfScript(script.stdout) : undefined;
      } finally {
        rmSync(file, { force: true });
      }
    },
  };
}
