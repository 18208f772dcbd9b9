import { runCalls, type CallSpec } from './calls.js';
import type { RunningChild } from './child.js';
import { runLoad, type LoadResult, type LoadSpec } from './load.js';

/** HTTP/1.1 load by autocannon, or calls through a client of any protocol. */
export type AnyLoad = LoadSpec | CallSpec;

function run(spec: AnyLoad): Promise<LoadResult> {
  return 'call' in spec ? runCalls(spec) : runLoad(spec);
}

export interface Measured extends LoadResult {
  /** Cores the system under test kept busy (its CPU seconds per wall second); undefined without /proc. */
  serverCores: number | undefined;
  /** The child's CPU milliseconds per 2xx answer: its cost per unit of work, whatever the machine. */
  serverCpuMsPerOk: number | undefined;
  /**
   * Cores busy with neither the server nor the load generator: the backing services (PostgreSQL,
   * Redis, RabbitMQ) and anything else running on the machine. Undefined without /proc.
   */
  otherCores: number | undefined;
  /** Each serving process's cores over the run, in the order given (one entry for a single child). */
  coresByProcess: (number | undefined)[];
  /** Epoch ms bounds of the measured run. */
  startedAt: number;
  finishedAt: number;
}

/**
 * Load that is thrown away: JIT, connection pools and caches settle before anything is counted. Then
 * waits for the child to go quiet, because requests the warm-up abandoned are still being served
 * (a login already queued for a hash still runs it) and would eat into the measured run.
 */
export async function warmUp(serving: Serving, spec: AnyLoad): Promise<void> {
  await run(spec);
  await Promise.all(childrenOf(serving).map(quiet));
}

/** The process that serves a load, or all of them when the work crosses several (a gateway and its backends). */
export type Serving = RunningChild | RunningChild[];

function childrenOf(serving: Serving): RunningChild[] {
  return Array.isArray(serving) ? serving : [serving];
}

/** The sum; undefined when any part is unknown. */
function sum(values: (number | undefined)[]): number | undefined {
  let total = 0;
  for (const value of values) {
    if (value === undefined) return undefined;
    total += value;
  }
  return total;
}

/** Resolves once the child uses under 5% of a core over 250 ms (or after 10 s, whatever it does). */
async function quiet(child: RunningChild): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = child.cpuSeconds();
  while (last !== undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = child.cpuSeconds();
    if (now === undefined || now - last < 0.0125) return;
    last = now;
  }
}

/**
 * One measured run against a child, with the child's own CPU use over the same interval. Afterwards
 * it waits for the child to finish what the run abandoned, so the next run starts on a quiet machine.
 */
export async function measure(serving: Serving, spec: AnyLoad): Promise<Measured> {
  const startedAt = Date.now();
  const children = childrenOf(serving);
  const before = children.map((child) => child.cpuSeconds());
  const result = await run(spec);
  const after = children.map((child) => child.cpuSeconds());
  const coresByProcess = children.map((_, i) => {
    const [from, to] = [before[i], after[i]];
    return from === undefined || to === undefined ? undefined : (to - from) / result.seconds;
  });
  const finishedAt = Date.now();
  await Promise.all(children.map(quiet));
  const serverCores = sum(coresByProcess);
  const otherCores =
    result.machineCores === undefined || serverCores === undefined
      ? undefined
      : Math.max(0, result.machineCores - serverCores - result.loadCores);
  return {
    ...result,
    serverCores,
    coresByProcess,
    otherCores,
    startedAt,
    finishedAt,
    serverCpuMsPerOk: serverCores === undefined ? undefined : (serverCores / result.okPerSecond) * 1000,
  };
}
