import path from 'node:path';
import type { ServiceName } from '@platform/contracts';

/** One service the launcher can run as a child process. */
export interface ServiceSpec {
  readonly name: ServiceName;
  /** Folder under apps/ that holds the built service (`dist/index.js`). */
  readonly dir: string;
  readonly port: number;
  readonly metricsPort: number;
}

/** Every service `pnpm start` knows; one line each. A service whose app is not built yet is skipped. */
export const SERVICE_TABLE: readonly ServiceSpec[] = [
  { name: 'auth', dir: 'auth', port: 3001, metricsPort: 9101 },
  { name: 'users', dir: 'users', port: 3002, metricsPort: 9102 },
  { name: 'admin', dir: 'admin', port: 3003, metricsPort: 9103 },
  { name: 'realtime', dir: 'realtime', port: 3004, metricsPort: 9104 },
];

/** Services listen on loopback only: the edge is the one public door of a local run. */
export const SERVICE_HOST = '127.0.0.1';

/** The built entry point of a service. */
export function entryPointOf(appsDir: string, spec: ServiceSpec): string {
  return path.join(appsDir, spec.dir, 'dist', 'index.js');
}

/** Splits the table into services that are built (runnable) and those whose entry point is missing. */
export function partitionByBuilt(
  table: readonly ServiceSpec[],
  appsDir: string,
  exists: (file: string) => boolean,
): { runnable: ServiceSpec[]; notBuilt: ServiceSpec[] } {
  const runnable: ServiceSpec[] = [];
  const notBuilt: ServiceSpec[] = [];
  for (const spec of table) (exists(entryPointOf(appsDir, spec)) ? runnable : notBuilt).push(spec);
  return { runnable, notBuilt };
}

/** Ports claimed twice in a table, as readable lines; empty when the table is sound. */
export function findPortClashes(table: readonly ServiceSpec[], extra: Record<string, number> = {}): string[] {
  const owners = new Map<number, string[]>();
  const claim = (port: number, owner: string) => owners.set(port, [...(owners.get(port) ?? []), owner]);
  for (const [owner, port] of Object.entries(extra)) claim(port, owner);
  for (const spec of table) {
    claim(spec.port, spec.name);
    claim(spec.metricsPort, `${spec.name} metrics`);
  }
  return [...owners.entries()]
    .filter(([, list]) => list.length > 1)
    .map(([port, list]) => `${port}: ${list.join(', ')}`);
}

/** Width of the name column in front of every output line: the longest service name, or `stack`. */
export function nameColumnWidth(table: readonly ServiceSpec[]): number {
  return Math.max('stack'.length, ...table.map((spec) => spec.name.length));
}

/** Base URL of a service's HTTP port. */
export function serviceUrl(spec: ServiceSpec): string {
  return `http://${SERVICE_HOST}:${spec.port}`;
}

/** Where Prometheus would scrape a service. */
export function metricsUrl(spec: ServiceSpec): string {
  return `http://${SERVICE_HOST}:${spec.metricsPort}/metrics`;
}

/** The edge's upstream map for the services that run. */
export function edgeTargetsFor(specs: readonly ServiceSpec[]): Partial<Record<ServiceName, string>> {
  return Object.fromEntries(specs.map((spec) => [spec.name, serviceUrl(spec)]));
}

/** Settings every service child gets, whatever its own port. */
export interface SharedServiceEnv {
  databaseUrl: string;
  redisUrl: string;
  amqpUrl: string;
  jwtSecret: string;
  nodeEnv: string;
  logLevel: string;
}

/** The environment of one service child: the launcher's own env plus what the stack decides. */
export function serviceEnv(
  base: NodeJS.ProcessEnv,
  spec: ServiceSpec,
  shared: SharedServiceEnv,
): NodeJS.ProcessEnv {
  return {
    ...base,
    PORT: String(spec.port),
    METRICS_PORT: String(spec.metricsPort),
    HOST: SERVICE_HOST,
    // Exactly one proxy (the edge) stands between the client and the service.
    TRUST_PROXY_HOPS: '1',
    DATABASE_URL: shared.databaseUrl,
    REDIS_URL: shared.redisUrl,
    AMQP_URL: shared.amqpUrl,
    JWT_SECRET: shared.jwtSecret,
    NODE_ENV: shared.nodeEnv,
    LOG_LEVEL: shared.logLevel,
  };
}
