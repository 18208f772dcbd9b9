import { readdirSync, readFileSync } from 'node:fs';
import { processCpuSeconds } from '@platform/benchkit';
import { SERVICE_TABLE } from '../../src/service-table.js';

/** One process of the stack: the launcher (which is also the edge) or a service. */
export interface StackProcess {
  pid: number;
  name: string;
  /** Its Prometheus port, where the service has one (the launcher has none). */
  metricsPort?: number;
}

/** What /proc says about one process at one moment. */
export interface ProcessSample {
  /** ms since the soak started. */
  at: number;
  rssMiB: number;
  fds: number;
  cpuSeconds: number | undefined;
  /** V8 heap in use (`nodejs_heap_size_used_bytes` from its /metrics port); filled in when it answers. */
  heapMiB?: number;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; the fields after its last ')' do not.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The service a process runs, from its command line (`node <apps>/<service>/dist/index.js`). */
function nameOf(pid: number, launcherPid: number): string {
  if (pid === launcherPid) return 'stack (launcher, edge)';
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const entry = argv.find((arg) => /\/apps\/[^/]+\/dist\/index\.js$/.test(arg));
    return entry ? (/\/apps\/([^/]+)\/dist/.exec(entry)?.[1] ?? entry) : (argv[0] ?? String(pid));
  } catch {
    return String(pid);
  }
}

/**
 * The launcher and every process below it, found through /proc (the launcher starts each service in
 * a process group of its own, so the tree is the only link). Called once the stack is ready, so it
 * names the long-lived processes, not an ffmpeg that happens to run.
 */
export function stackProcesses(launcherPid: number): StackProcess[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: StackProcess[] = [];
  const visit = (pid: number) => {
    const name = nameOf(pid, launcherPid);
    const metricsPort = SERVICE_TABLE.find((spec) => spec.dir === name)?.metricsPort;
    found.push({ pid, name, ...(metricsPort === undefined ? {} : { metricsPort }) });
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(launcherPid);
  return found;
}

/** Resident memory (VmRSS) and open file descriptors of a process; undefined once it is gone. */
export function sampleProcess(pid: number, at: number): ProcessSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
    const fds = readdirSync(`/proc/${pid}/fd`).length;
    return { at, rssMiB: kib / 1024, fds, cpuSeconds: processCpuSeconds(pid) };
  } catch {
    return undefined;
  }
}

/**
 * Adds the V8 heap in use to a sample, from the service's own metrics. Not part of the verdict (the
 * brief is RSS and descriptors), but it tells a heap that keeps growing (a leak in our code) from RSS
 * that V8 or the allocator simply has not handed back.
 */
export async function addHeap(sample: ProcessSample, metricsPort: number): Promise<void> {
  try {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, {
      signal: AbortSignal.timeout(3000),
    });
    const text = await response.text();
    const bytes = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1];
    if (bytes !== undefined) sample.heapMiB = Number(bytes) / 2 ** 20;
  } catch {
    // A scrape that fails leaves the sample without a heap value.
  }
}
