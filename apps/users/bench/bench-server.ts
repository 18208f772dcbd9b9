import { startChild, type ChildSpec } from './lib/child.js';
import type { LoadSpec } from './lib/load.js';
import { measure, warmUp, type Measured } from './lib/measure.js';

export interface Timing {
  connections: number;
  warmupSeconds: number;
  measureSeconds: number;
}

export interface ServerRun extends Measured {
  /** Epoch ms when the child was spawned, to find the measured run inside its CPU profile. */
  childStartedAt: number;
}

/** Starts one server, checks it accepts the token, warms it up, measures GET `url`, stops it. */
export async function benchServer(
  label: string,
  spec: ChildSpec,
  url: string,
  token: string,
  timing: Timing,
): Promise<ServerRun> {
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
    console.log(`${label}: ${timing.warmupSeconds} s warm-up, ${timing.measureSeconds} s measured...`);
    await warmUp(child, { ...load, durationSeconds: timing.warmupSeconds });
    return { ...(await measure(child, load)), childStartedAt: child.startedAt };
  } finally {
    await child.stop();
  }
}
