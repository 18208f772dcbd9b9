import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, profilerArgs, startChild, tsxImport, type RunningChild } from '@platform/benchkit';

const appDir = fileURLToPath(new URL('..', import.meta.url));

export const REALTIME = 'realtime (uWS)';
export const BASELINE = 'baseline ws';
export const SOCKET_IO = 'baseline Socket.IO';
/** The write-coalescing window of the second realtime server (BENCH_COALESCE_MS, default 50). */
export const COALESCE_MS = Number(process.env.BENCH_COALESCE_MS ?? 50);
export const REALTIME_COALESCED = `realtime (uWS), ${COALESCE_MS} ms window`;

/** AMQP prefetch of realtime's subscriptions (`Subscription`'s default); the baseline gets the same. */
export const PREFETCH = 20;

export interface StartedServer {
  label: string;
  child: RunningChild;
  wsUrl: string;
  metricsUrl?: string;
  /** How the server frames messages (plain JSON unless Socket.IO). */
  protocol?: 'plain' | 'socket.io';
}

/** What a bench part changes from the service as deployed. */
export interface RealtimeVariant {
  /** Shown instead of REALTIME in the tables. */
  label?: string;
  /** Settings over the deployed defaults. */
  env?: Record<string, string>;
  /** Extra arguments to node (e.g. `--inspect` to collect garbage on request). */
  nodeArgs?: string[];
}

/** The built service, configured as deployed (info logs to a file, default WS_* settings). */
export async function startRealtimeServer(
  env: Record<string, string>,
  variant: RealtimeVariant = {},
): Promise<StartedServer> {
  if (!existsSync(`${appDir}/dist/index.js`)) {
    throw new Error('apps/realtime/dist/index.js is missing: run `pnpm build` first');
  }
  const [port, metricsPort] = [await freePort(), await freePort()];
  const child = await startChild({
    name: 'realtime',
    args: [...profilerArgs(), ...(variant.nodeArgs ?? []), 'dist/index.js'],
    cwd: appDir,
    env: {
      ...env,
      NODE_ENV: 'production',
      // BENCH_REALTIME_LOG_LEVEL=debug logs every socket's open and close (kept, see run.ts).
      LOG_LEVEL: process.env.BENCH_REALTIME_LOG_LEVEL ?? 'info',
      DATABASE_POOL_MAX: '10', // the service default (the test environment uses 5)
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      ...variant.env,
    },
    readyUrl: `http://127.0.0.1:${port}/ready`,
  });
  return {
    label: variant.label ?? REALTIME,
    child,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
  };
}

/** realtime again, with WS_COALESCE_MS set to COALESCE_MS: the same runs show what the window changes. */
export function startCoalescedRealtimeServer(env: Record<string, string>): Promise<StartedServer> {
  return startRealtimeServer(env, {
    label: REALTIME_COALESCED,
    env: { WS_COALESCE_MS: String(COALESCE_MS) },
  });
}

/** A baseline server script under bench/, through tsx like the other benches' baselines. */
async function startBaseline(
  label: string,
  script: string,
  env: Record<string, string>,
  wsPath: string,
  protocol: 'plain' | 'socket.io',
): Promise<StartedServer> {
  const port = await freePort();
  const child = await startChild({
    name: `realtime-${script.replace(/-server\.ts$/, '')}`,
    args: ['--import', tsxImport(), `bench/${script}`],
    cwd: appDir,
    env: {
      PORT: String(port),
      AMQP_URL: env.AMQP_URL ?? '',
      AMQP_NAMESPACE: env.AMQP_NAMESPACE ?? '',
      PREFETCH: String(PREFETCH),
    },
    readyUrl: `http://127.0.0.1:${port}/health`,
  });
  return { label, child, wsUrl: `ws://127.0.0.1:${port}${wsPath}`, protocol };
}

/** The plain `ws` server (ws-baseline-server.ts). */
export function startBaselineServer(env: Record<string, string>): Promise<StartedServer> {
  return startBaseline(BASELINE, 'ws-baseline-server.ts', env, '/ws', 'plain');
}

/** Socket.IO with its default settings (socketio-baseline-server.ts). */
export function startSocketIoServer(env: Record<string, string>): Promise<StartedServer> {
  return startBaseline(
    SOCKET_IO,
    'socketio-baseline-server.ts',
    env,
    '/socket.io/?EIO=4&transport=websocket',
    'socket.io',
  );
}
