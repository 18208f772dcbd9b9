import { redactUrl } from '@platform/config';
import { describeError } from './errors.js';

/** The three servers every service needs, and how a local run finds (or makes) them. */
export type BackingKind = 'postgres' | 'redis' | 'rabbitmq';

export interface BackingSpec {
  readonly kind: BackingKind;
  readonly label: string;
  readonly envVar: 'DATABASE_URL' | 'REDIS_URL' | 'AMQP_URL';
  /** Where a server installed on this machine listens by default. */
  readonly localUrl: string;
  /** How to get one, in one line, for the "missing" message. */
  readonly howTo: string;
  /** A URL shape to put in the env var. */
  readonly envExample: string;
}

export const BACKING_SERVICES: readonly BackingSpec[] = [
  {
    kind: 'postgres',
    label: 'PostgreSQL',
    envVar: 'DATABASE_URL',
    localUrl: 'postgres://postgres@127.0.0.1:5432/platform',
    howTo:
      'install and start it (Debian/Ubuntu: `sudo apt-get install -y postgresql && sudo service postgresql start`; ' +
      'macOS: `brew install postgresql@15 && brew services start postgresql@15`), ' +
      'or set DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/platform',
    envExample: 'postgres://USER:PASSWORD@HOST:5432/platform',
  },
  {
    kind: 'redis',
    label: 'Redis',
    envVar: 'REDIS_URL',
    localUrl: 'redis://127.0.0.1:6379',
    howTo:
      'install and start it (Debian/Ubuntu: `sudo apt-get install -y redis-server && sudo service redis-server start`; ' +
      'macOS: `brew install redis && brew services start redis`), or set REDIS_URL=redis://HOST:6379',
    envExample: 'redis://:PASSWORD@HOST:6379',
  },
  {
    kind: 'rabbitmq',
    label: 'RabbitMQ',
    envVar: 'AMQP_URL',
    localUrl: 'amqp://guest:guest@127.0.0.1:5672',
    howTo:
      'install and start it (Debian/Ubuntu: `sudo apt-get install -y rabbitmq-server && sudo service rabbitmq-server start`; ' +
      'macOS: `brew install rabbitmq && brew services start rabbitmq`), or set AMQP_URL=amqp://USER:PASSWORD@HOST:5672',
    envExample: 'amqp://USER:PASSWORD@HOST:5672',
  },
];

export type BackingUrls = Record<BackingKind, string>;
export type BackingSource = 'env' | 'local' | 'container';
/** `listening` tells "a server answered but refused us" from "nothing there". */
export type ProbeResult = { ok: true } | { ok: false; reason: string; listening?: boolean };

/** Backing servers started for this run only. */
export interface StartedContainers {
  urls: Partial<BackingUrls>;
  stop(): Promise<void>;
}

/** The side effects of the decision, injected so the decision itself is testable. */
export interface BackingDeps {
  probe(kind: BackingKind, url: string): Promise<ProbeResult>;
  dockerAvailable(): boolean;
  startContainers(kinds: readonly BackingKind[]): Promise<StartedContainers>;
  log(line: string): void;
}

export type BackingResolution =
  | { ok: true; urls: BackingUrls; sources: Record<BackingKind, BackingSource>; stop(): Promise<void> }
  | { ok: false; message: string };

export type BackingEnv = Partial<Record<BackingSpec['envVar'], string>>;

interface Failure {
  spec: BackingSpec;
  url: string;
  reason: string;
  fromEnv: boolean;
  listening: boolean;
}

function fixFor(f: Failure): string {
  if (f.fromEnv) return `correct ${f.spec.envVar} (host, port, credentials) or start that server`;
  if (f.listening) return `set ${f.spec.envVar}=${f.spec.envExample} with credentials that work there`;
  return f.spec.howTo;
}

function listLabels(labels: string[]): string {
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1] ?? ''}`;
}

/** The one message printed when the stack cannot get its backing servers. */
export function missingMessage(failures: readonly Failure[], dockerNote: string): string {
  const verb = failures.length === 1 ? 'is' : 'are';
  const lines = [`Cannot start: ${listLabels(failures.map((f) => f.spec.label))} ${verb} not reachable.`];
  for (const f of failures) {
    const where = `${f.fromEnv ? `${f.spec.envVar}=` : ''}${redactUrl(f.url)}`;
    lines.push(`  - ${f.spec.label} at ${where}: ${f.reason}. To fix: ${fixFor(f)}.`);
  }
  if (dockerNote !== '') lines.push(dockerNote);
  return lines.join('\n');
}

function complete<T>(parts: Partial<Record<BackingKind, T>>): Record<BackingKind, T> | undefined {
  const { postgres, redis, rabbitmq } = parts;
  if (postgres === undefined || redis === undefined || rabbitmq === undefined) return undefined;
  return { postgres, redis, rabbitmq };
}

/**
 * Env URLs when set (they must answer: an explicit choice is never silently replaced); else the
 * standard local ports; else containers when a Docker engine is present; else one clear failure.
 */
export async function resolveBackingServices(env: BackingEnv, deps: BackingDeps): Promise<BackingResolution> {
  const checks = await Promise.all(
    BACKING_SERVICES.map(async (spec) => {
      const fromEnv = env[spec.envVar];
      const url = fromEnv ?? spec.localUrl;
      return { spec, url, fromEnv: fromEnv !== undefined, result: await deps.probe(spec.kind, url) };
    }),
  );
  const urls: Partial<BackingUrls> = {};
  const sources: Partial<Record<BackingKind, BackingSource>> = {};
  const failures: Failure[] = [];
  for (const { spec, url, fromEnv, result } of checks) {
    if (!result.ok) {
      failures.push({ spec, url, fromEnv, reason: result.reason, listening: result.listening === true });
      continue;
    }
    urls[spec.kind] = url;
    sources[spec.kind] = fromEnv ? 'env' : 'local';
  }

  let stop = async (): Promise<void> => undefined;
  if (failures.length > 0) {
    if (failures.some((f) => f.fromEnv)) return { ok: false, message: missingMessage(failures, '') };
    if (!deps.dockerAvailable()) {
      const note =
        'No Docker engine was found either (DOCKER_HOST is unset and no docker.sock exists); ' +
        'with one running, `pnpm start` would start the missing servers itself with testcontainers.';
      return { ok: false, message: missingMessage(failures, note) };
    }
    const kinds = failures.map((f) => f.spec.kind);
    deps.log(`starting ${listLabels(failures.map((f) => f.spec.label))} with testcontainers...`);
    let started: StartedContainers;
    try {
      started = await deps.startContainers(kinds);
    } catch (error) {
      const note = `A Docker engine was found, but testcontainers could not start them: ${describeError(error)}`;
      return { ok: false, message: missingMessage(failures, note) };
    }
    for (const kind of kinds) {
      urls[kind] = started.urls[kind];
      sources[kind] = 'container';
    }
    stop = () => started.stop();
  }

  const allUrls = complete(urls);
  const allSources = complete(sources);
  if (allUrls === undefined || allSources === undefined) {
    await stop();
    return { ok: false, message: 'testcontainers did not report a URL for every server it started.' };
  }
  return { ok: true, urls: allUrls, sources: allSources, stop };
}
