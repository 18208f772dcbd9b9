import {
  startChild,
  type ChildSpec,
  type RunningChild,
  type LoadSpec,
  measure,
  warmUp,
  type Measured,
} from '@platform/benchkit';

export interface Timing {
  connections: number;
  warmupSeconds: number;
  measureSeconds: number;
  /** Measured runs per server, interleaved with the others: drift on a shared VM hits all alike. */
  rounds: number;
}

/** A server under test, started, checked and warmed up, ready for measured runs. */
export interface Target {
  label: string;
  child: RunningChild;
  load: LoadSpec;
}

export interface TargetRun extends Measured {
  label: string;
  round: number;
  /** Epoch ms when the child was spawned, to find the measured run inside its CPU profile. */
  childStartedAt: number;
}

/** Starts one server, checks that it accepts the token on GET `url`, and warms it up. */
export async function startTarget(
  label: string,
  spec: ChildSpec,
  url: string,
  token: string,
  timing: Timing,
): Promise<Target> {
  const child = await startChild(spec);
  try {
    const load: LoadSpec = {
      url,
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
      connections: timing.connections,
      durationSeconds: timing.measureSeconds,
    };
    const probe = await fetch(url, { headers: load.headers });
    if (probe.status !== 200) throw new Error(`${label} answered ${probe.status}: ${await probe.text()}`);
    console.log(`${label}: started, ${timing.warmupSeconds} s warm-up...`);
    await warmUp(child, { ...load, durationSeconds: timing.warmupSeconds });
    return { label, child, load };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** `rounds` measured runs of every target, one target after the other within each round. */
export async function measureRounds(targets: Target[], rounds: number): Promise<TargetRun[]> {
  const runs: TargetRun[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const { label, child, load } of targets) {
      console.log(`${label}: round ${round}, ${load.durationSeconds} s measured...`);
      const run = await measure(child, load);
      runs.push({ ...run, label, round, childStartedAt: child.startedAt });
    }
  }
  return runs;
}

export async function stopTargets(targets: Target[]): Promise<void> {
  await Promise.all(targets.map((t) => t.child.stop()));
}

/** 2xx per second over all of one target's runs, and its server CPU µs per 2xx over the same. */
export function combined(runs: TargetRun[], label: string) {
  const mine = runs.filter((r) => r.label === label);
  const ok = mine.reduce((sum, r) => sum + r.ok, 0);
  const seconds = mine.reduce((sum, r) => sum + r.seconds, 0);
  const cpuSeconds = mine.reduce((sum, r) => sum + (r.serverCores ?? Number.NaN) * r.seconds, 0);
  return { runs: mine, okPerSecond: ok / seconds, cpuUsPerOk: (cpuSeconds / ok) * 1e6 };
}
