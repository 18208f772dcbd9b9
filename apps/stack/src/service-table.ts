import path from 'node:path';
import type { ServiceName } from '@platform/contracts';
import type { BackingUrls } from './backing-services.js';
import type { SigningKeys } from './signing-keys.js';

/** The AMQP workers: no public routes, only /health and /ready on their own port. */
export type WorkerName = 'worker-email' | 'worker-logs' | 'worker-media';

interface SpecBase {
  /** Folder under apps/ that holds the built service. */
  readonly dir: string;
  /** Its /health and /ready (and, for an HTTP service, its API behind the edge). */
  readonly port: number;
  readonly metricsPort: number;
  /** Its internal gRPC port (GRPC_PORT), on services that serve gRPC to the others. */
  readonly grpcPort?: number;
  /** Set on services that deliver mail: they get the run's SMTP settings (the local sink's by default). */
  readonly sendsMail?: boolean;
  /** Set on the one service that signs access tokens: only it gets the private keys. */
  readonly signsTokens?: boolean;
  /** Set on the media service and its worker: both get the one local media folder (`STORAGE_DIR`). */
  readonly storesMedia?: boolean;
  /** Set on services that call the others over gRPC: they get `<NAME>_GRPC_URL` for each gRPC port. */
  readonly callsGrpc?: boolean;
  /** Set on services that hand out or check signed media URLs: they get MEDIA_URL_SECRET. */
  readonly signsMediaUrls?: boolean;
  /** Set on the service that calls others with its own identity (realtime): it gets SERVICE_TOKEN_KEYS. */
  readonly callsAsService?: boolean;
}

/** A service the edge routes to; its name is one of the contracts' routed services. */
export interface HttpServiceSpec extends SpecBase {
  readonly kind: 'http';
  readonly name: ServiceName;
}

/** A queue consumer: started, watched and awaited like the others, but never routed by the edge. */
export interface WorkerSpec extends SpecBase {
  readonly kind: 'worker';
  readonly name: WorkerName;
}

/** One service the launcher can run as a child process. */
export type ServiceSpec = HttpServiceSpec | WorkerSpec;

/** What every app's own `start` script runs: config, telemetry, then its main. */
const ENTRY = 'dist/index.js';

/** Every service `pnpm start` knows; one entry each. A service whose app is not built yet is skipped. */
export const SERVICE_TABLE: readonly ServiceSpec[] = [
  // Media URLs are signed wherever a user or an attachment is shown, and checked by media.
  {
    kind: 'http',
    name: 'auth',
    dir: 'auth',
    port: 3001,
    metricsPort: 9101,
    grpcPort: 50051,
    signsTokens: true,
    signsMediaUrls: true,
  },
  {
    kind: 'http',
    name: 'users',
    dir: 'users',
    port: 3002,
    metricsPort: 9102,
    grpcPort: 50052,
    signsMediaUrls: true,
  },
  {
    kind: 'http',
    name: 'admin',
    dir: 'admin',
    port: 3003,
    metricsPort: 9103,
    grpcPort: 50053,
    signsMediaUrls: true,
  },
  // Asks users for accounts (GetUsers) with its own service identity.
  {
    kind: 'http',
    name: 'realtime',
    dir: 'realtime',
    port: 3004,
    metricsPort: 9104,
    grpcPort: 50054,
    signsMediaUrls: true,
    callsGrpc: true,
    callsAsService: true,
  },
  // Owns no data: asks users, admin and realtime over gRPC.
  { kind: 'http', name: 'graphql', dir: 'graphql', port: 3009, metricsPort: 9109, callsGrpc: true },
  {
    kind: 'worker',
    name: 'worker-email',
    dir: 'worker-email',
    port: 3005,
    metricsPort: 9105,
    sendsMail: true,
  },
  {
    kind: 'worker',
    name: 'worker-logs',
    dir: 'worker-logs',
    port: 3006,
    metricsPort: 9106,
  },
  {
    kind: 'http',
    name: 'media',
    dir: 'media',
    port: 3007,
    metricsPort: 9107,
    storesMedia: true,
    signsMediaUrls: true,
  },
  {
    kind: 'worker',
    name: 'worker-media',
    dir: 'worker-media',
    port: 3008,
    metricsPort: 9108,
    storesMedia: true,
  },
];

/** Where a caller reaches each gRPC port of the table: `USERS_GRPC_URL` and the like. */
export function grpcUrlsOf(table: readonly ServiceSpec[]): Record<string, string> {
  return Object.fromEntries(
    table.flatMap((spec) =>
      spec.grpcPort === undefined
        ? []
        : [
            [
              `${spec.name.toUpperCase().replaceAll('-', '_')}_GRPC_URL`,
              `http://${SERVICE_HOST}:${spec.grpcPort}`,
            ],
          ],
    ),
  );
}

/** Narrows to the services the edge routes to. */
export function isHttpService(spec: ServiceSpec): spec is HttpServiceSpec {
  return spec.kind === 'http';
}

/** Services listen on loopback only: the edge is the one public door of a local run. */
export const SERVICE_HOST = '127.0.0.1';

/** The built entry point of a service. */
export function entryPointOf(appsDir: string, spec: ServiceSpec): string {
  return path.join(appsDir, spec.dir, ENTRY);
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

/**
 * Ports claimed twice in a table (plus `extra` owners such as the edge), as readable lines; empty when
 * the table is sound. Port 0 asks the OS for any free port, so it never clashes.
 */
export function findPortClashes(table: readonly ServiceSpec[], extra: Record<string, number> = {}): string[] {
  const owners = new Map<number, string[]>();
  const claim = (port: number, owner: string) => {
    if (port !== 0) owners.set(port, [...(owners.get(port) ?? []), owner]);
  };
  for (const [owner, port] of Object.entries(extra)) claim(port, owner);
  for (const spec of table) {
    claim(spec.port, spec.name);
    claim(spec.metricsPort, `${spec.name} metrics`);
    if (spec.grpcPort !== undefined) claim(spec.grpcPort, `${spec.name} gRPC`);
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

/**
 * What `pnpm start` waits for before opening the edge: every service's `/ready`, and for a service
 * with a gRPC port its grpc.health.v1 as well (`grpc://`), as the Kubernetes gRPC probes ask it.
 */
export function readyTargetsOf(specs: readonly ServiceSpec[]): { name: string; url: string }[] {
  return specs.flatMap((spec) => [
    { name: spec.name, url: `${serviceUrl(spec)}/ready` },
    ...(spec.grpcPort === undefined
      ? []
      : [{ name: `${spec.name} gRPC`, url: `grpc://${SERVICE_HOST}:${spec.grpcPort}` }]),
  ]);
}

/** Where Prometheus would scrape a service. */
export function metricsUrl(spec: ServiceSpec): string {
  return `http://${SERVICE_HOST}:${spec.metricsPort}/metrics`;
}

/** The edge's upstream map for the HTTP services that run; workers have nothing to route to. */
export function edgeTargetsFor(specs: readonly ServiceSpec[]): Partial<Record<ServiceName, string>> {
  return Object.fromEntries(specs.filter(isHttpService).map((spec) => [spec.name, serviceUrl(spec)]));
}

/** Settings every service child gets, whatever its own port. */
export interface SharedServiceEnv {
  databaseUrl: string;
  redisUrl: string;
  amqpUrl: string;
  keys: SigningKeys;
  /** JWT_ISSUER for everyone: the configured one, or the edge's URL. */
  issuer: string;
  nodeEnv: string;
  logLevel: string;
  /** For services that send mail: SMTP_* to set (a value) or to drop from the inherited env (undefined). */
  smtp: Readonly<Record<string, string | undefined>>;
  /** The absolute media folder (`mediaStorageDir`) for the services that store media. */
  mediaDir?: string;
  /** MEDIA_URL_SECRET for the services that sign media URLs (`chooseMediaUrlSecret`). */
  mediaUrlSecret?: string;
}

/**
 * The one folder where the media service and its worker keep files with the `fs` backend: STORAGE_DIR
 * from the launcher's environment, relative paths taken from the repository root, else `.local/media`.
 * Absolute, since each child runs in its own app folder.
 */
export function mediaStorageDir(base: NodeJS.ProcessEnv, repoRoot: string): string {
  return path.resolve(repoRoot, base.STORAGE_DIR ?? path.join('.local', 'media'));
}

/** The shared settings of a run, from the launcher's config and what it resolved or made. */
export function sharedServiceEnv(
  config: { NODE_ENV: string; LOG_LEVEL: string },
  urls: BackingUrls,
  tokens: Pick<SharedServiceEnv, 'keys' | 'issuer'>,
  smtp: SharedServiceEnv['smtp'],
): SharedServiceEnv {
  return {
    databaseUrl: urls.postgres,
    redisUrl: urls.redis,
    amqpUrl: urls.rabbitmq,
    ...tokens,
    nodeEnv: config.NODE_ENV,
    logLevel: config.LOG_LEVEL,
    smtp,
  };
}

/** The environment of one service child: the launcher's own env plus what the stack decides. */
export function serviceEnv(
  base: NodeJS.ProcessEnv,
  spec: ServiceSpec,
  shared: SharedServiceEnv,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    PORT: String(spec.port),
    METRICS_PORT: String(spec.metricsPort),
    ...(spec.grpcPort === undefined ? {} : { GRPC_PORT: String(spec.grpcPort) }),
    HOST: SERVICE_HOST,
    // Exactly one proxy (the edge) stands between a client and an HTTP service; nobody proxies to a
    // worker's health port, so a worker trusts no forwarding header.
    ...(spec.kind === 'http' ? { TRUST_PROXY_HOPS: '1' } : {}),
    DATABASE_URL: shared.databaseUrl,
    REDIS_URL: shared.redisUrl,
    AMQP_URL: shared.amqpUrl,
    JWT_ISSUER: shared.issuer,
    NODE_ENV: shared.nodeEnv,
    LOG_LEVEL: shared.logLevel,
  };
  if (spec.signsTokens === true) {
    env.JWT_PRIVATE_KEYS = shared.keys.privateKeys;
  } else {
    // A private key reaches auth and nothing else, whatever the launcher's own environment holds.
    delete env.JWT_PRIVATE_KEYS;
    delete env.JWT_SIGNING_KEY_ID;
    env.JWT_PUBLIC_KEYS = shared.keys.publicKeys;
  }
  if (spec.storesMedia === true && shared.mediaDir !== undefined) env.STORAGE_DIR = shared.mediaDir;
  // Like a private key, the secret reaches only the services that need it.
  if (spec.signsMediaUrls === true && shared.mediaUrlSecret !== undefined)
    env.MEDIA_URL_SECRET = shared.mediaUrlSecret;
  else delete env.MEDIA_URL_SECRET;
  if (spec.callsGrpc === true) Object.assign(env, grpcUrlsOf(SERVICE_TABLE));
  delete env.SERVICE_TOKEN_KEYS;
  if (shared.keys.service !== undefined) {
    if (spec.callsAsService === true) env.SERVICE_TOKEN_KEYS = shared.keys.service.realtimeKeys;
    if (spec.grpcPort !== undefined) env.GRPC_SERVICE_KEYS = shared.keys.service.trusted;
  }
  if (spec.sendsMail === true) {
    for (const [key, value] of Object.entries(shared.smtp)) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
  }
  return env;
}
