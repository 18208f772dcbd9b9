import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { textTable, type Row } from './report.js';

/** The parts of V8's .cpuprofile format (what `node --cpu-prof` writes) that a summary needs. */
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export interface ProfileSummary {
  /** Self time grouped by where the code lives: an npm package, a workspace package, Node, V8. */
  byOwner: Row[];
  /** Functions by self time. */
  bySelf: Row[];
  /** Functions by total time (self plus callees; an async function's resumptions count too). */
  byTotal: Row[];
}

/**
 * The newest main-thread .cpuprofile in `dir`: the one the child just wrote on exit. Files are named
 * CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread (a child run through
 * tsx also writes one for its loader thread).
 */
export function newestProfile(dir: string): string | undefined {
  return readdirSync(dir)
    .filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** A stretch of the profile, in ms after it started. */
export interface ProfileWindow {
  fromMs: number;
  toMs: number;
}

/**
 * Summarises the samples taken inside `windows` (the measured runs, without start-up, warm-up and
 * idle time), as shares of the time the process was not idle.
 */
export function summarizeProfile(file: string, windows: ProfileWindow[], top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

  const self = new Map<string, number>();
  const owner = new Map<string, number>();
  const total = new Map<string, number>();
  let busy = 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    const frame = frames.get(id);
    const inside = windows.some((w) => at >= w.fromMs * 1000 && at <= w.toMs * 1000);
    if (!inside || !frame || frame.functionName === '(idle)') return;
    busy += us;
    add(self, label(frame), us);
    add(owner, ownerOf(frame), us);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parents.get(n)) {
      const f = frames.get(n);
      if (f && f.url) seen.add(label(f));
    }
    for (const name of seen) add(total, name, us);
  });
  const rows = (m: Map<string, number>): Row[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => [k, `${((us / busy) * 100).toFixed(1)}%`]);
  return {
    byOwner: [['code, by self time', 'share'], ...rows(owner)],
    bySelf: [['function, by self time', 'share'], ...rows(self)],
    byTotal: [['function, by total time', 'share'], ...rows(total)],
  };
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

function label(frame: CallFrame): string {
  const { owner, file } = locate(frame);
  return `${frame.functionName || '(anonymous)'}${frame.url ? ` ${owner}/${file}:${frame.lineNumber + 1}` : ''}`;
}

function ownerOf(frame: CallFrame): string {
  return locate(frame).owner;
}

/** The package a script belongs to (npm, workspace, or Node's own `node:` modules) and its file. */
function locate({ url, functionName }: CallFrame): { owner: string; file: string } {
  if (!url) return { owner: functionName.startsWith('(') ? functionName : '(native)', file: '' };
  const npm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (npm?.[1]) return { owner: npm[1], file: npm[2] ?? '' };
  const workspace = /\/(packages|apps)\/([^/]+)\/(?:dist|src)\/(.*)$/.exec(url);
  if (workspace?.[2])
    return {
      owner: `${workspace[1] === 'packages' ? '@platform/' : 'app:'}${workspace[2]}`,
      file: workspace[3] ?? '',
    };
  if (url.startsWith('node:')) return { owner: 'node', file: url.slice(5) };
  return { owner: url, file: '' };
}

/** BENCH_CPU_PROF=<dir>: node flags that run a child under V8's sampling profiler, writing there. */
export function profilerArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}

/**
 * Prints where the profiled child's main thread spent its CPU inside `windows` (its measured runs);
 * does nothing without BENCH_CPU_PROF. The profiler slows the child: read the shares, not the rates.
 */
export function printProfile(windows: ProfileWindow[]): void {
  const dir = process.env.BENCH_CPU_PROF;
  const file = dir && newestProfile(dir);
  if (!file) return;
  const { byOwner, bySelf, byTotal } = summarizeProfile(file, windows);
  console.log(`\nwhere the service's main thread spent its CPU during the measured runs (${file}):`);
  for (const table of [byOwner, bySelf, byTotal]) console.log(`\n${textTable(table)}`);
}

/** A measured run as the profile sees it: its label and its epoch-ms bounds. */
export interface LabelledRun {
  label: string;
  startedAt: number;
  finishedAt: number;
}

/**
 * `printProfile` once per label, over that label's runs of `child` (the profiled process), so each
 * door of a comparison gets its own breakdown. Does nothing without BENCH_CPU_PROF.
 */
export function printProfilesByLabel(
  runs: readonly LabelledRun[],
  child: { name: string; startedAt: number },
): void {
  if (!process.env.BENCH_CPU_PROF) return;
  for (const label of new Set(runs.map((run) => run.label))) {
    console.log(`\nprofile of ${child.name} during ${label}:`);
    printProfile(
      runs
        .filter((run) => run.label === label)
        .map((run) => ({ fromMs: run.startedAt - child.startedAt, toMs: run.finishedAt - child.startedAt })),
    );
  }
}
