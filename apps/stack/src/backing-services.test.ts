import {
  resolveBackingServices,
  type BackingDeps,
  type BackingKind,
  type ProbeResult,
  type StartedContainers,
} from './backing-services.js';

const LOCAL: Record<BackingKind, string> = {
  postgres: 'postgres://postgres@127.0.0.1:5432/platform',
  redis: 'redis://127.0.0.1:6379',
  rabbitmq: 'amqp://guest:guest@127.0.0.1:5672',
};
const CONTAINER: Record<BackingKind, string> = {
  postgres: 'postgres://postgres:postgres@localhost:32768/platform',
  redis: 'redis://localhost:32769',
  rabbitmq: 'amqp://platform:platform@localhost:32770',
};

/** Deps whose probes answer only for the URLs in `up`. */
function fakeDeps(
  up: string[],
  options: { docker?: boolean; containers?: BackingDeps['startContainers'] } = {},
) {
  const stop = jest.fn(async () => undefined);
  const started = async (kinds: readonly BackingKind[]): Promise<StartedContainers> => ({
    urls: Object.fromEntries(kinds.map((k) => [k, CONTAINER[k]])),
    stop,
  });
  const startContainers = jest.fn<Promise<StartedContainers>, [readonly BackingKind[]]>(
    options.containers ?? started,
  );
  const probe = jest.fn(async (_kind: BackingKind, url: string): Promise<ProbeResult> =>
    up.includes(url) ? { ok: true } : { ok: false, reason: 'nothing accepts connections (ECONNREFUSED)' },
  );
  const deps: BackingDeps = {
    probe,
    dockerAvailable: () => options.docker ?? false,
    startContainers,
    log: () => undefined,
  };
  return { deps, probe, startContainers, stop };
}

async function failureMessage(result: Awaited<ReturnType<typeof resolveBackingServices>>): Promise<string> {
  if (result.ok) throw new Error('expected a failure');
  return result.message;
}

describe('resolveBackingServices', () => {
  it('uses the env URLs when they are set and answer', async () => {
    const env = {
      DATABASE_URL: 'postgres://u:p@db/platform',
      REDIS_URL: 'redis://cache:6379',
      AMQP_URL: 'amqp://bus',
    };
    const { deps, probe } = fakeDeps(Object.values(env));
    const result = await resolveBackingServices(env, deps);
    expect(result).toMatchObject({
      ok: true,
      urls: { postgres: env.DATABASE_URL, redis: env.REDIS_URL, rabbitmq: env.AMQP_URL },
      sources: { postgres: 'env', redis: 'env', rabbitmq: 'env' },
    });
    expect(probe.mock.calls.map(([, url]) => url)).not.toContain(LOCAL.postgres);
  });

  it('falls back to the standard local ports when no env URL is set', async () => {
    const { deps, startContainers } = fakeDeps(Object.values(LOCAL), { docker: true });
    const result = await resolveBackingServices({}, deps);
    expect(result).toMatchObject({
      ok: true,
      urls: LOCAL,
      sources: { postgres: 'local', redis: 'local', rabbitmq: 'local' },
    });
    expect(startContainers).not.toHaveBeenCalled();
  });

  it('starts containers only for what is missing when a Docker engine is present', async () => {
    const { deps, startContainers, stop } = fakeDeps([LOCAL.redis], { docker: true });
    const result = await resolveBackingServices({}, deps);
    expect(startContainers).toHaveBeenCalledWith(['postgres', 'rabbitmq']);
    expect(result).toMatchObject({
      ok: true,
      urls: { postgres: CONTAINER.postgres, redis: LOCAL.redis, rabbitmq: CONTAINER.rabbitmq },
      sources: { postgres: 'container', redis: 'local', rabbitmq: 'container' },
    });
    if (result.ok) await result.stop();
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('names exactly the missing servers and how to get them when there is no Docker engine', async () => {
    const { deps } = fakeDeps([LOCAL.redis]);
    const message = await failureMessage(await resolveBackingServices({}, deps));
    expect(message.split('\n')[0]).toBe('Cannot start: PostgreSQL and RabbitMQ are not reachable.');
    expect(message).toMatch(
      /PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:5432\/platform: nothing accepts/,
    );
    expect(message).toMatch(/apt-get install -y postgresql/);
    expect(message).toMatch(/DATABASE_URL=/);
    expect(message).toMatch(/apt-get install -y rabbitmq-server/);
    expect(message).toMatch(/AMQP_URL=/);
    expect(message).not.toMatch(/Redis/);
    expect(message).toMatch(/No Docker engine/);
    expect(message).not.toMatch(/guest:guest/);
  });

  it('never replaces an env URL that does not answer with a container', async () => {
    const { deps, startContainers } = fakeDeps([LOCAL.postgres, LOCAL.redis, LOCAL.rabbitmq], {
      docker: true,
    });
    const message = await failureMessage(
      await resolveBackingServices({ REDIS_URL: 'redis://:secret@cache.internal:6379' }, deps),
    );
    expect(startContainers).not.toHaveBeenCalled();
    expect(message).toMatch(/Cannot start: Redis is not reachable/);
    expect(message).toMatch(/REDIS_URL=redis:\/\/:\*\*\*@cache\.internal:6379/);
    expect(message).not.toMatch(/secret/);
  });

  it('reports why testcontainers failed together with what is missing', async () => {
    const { deps } = fakeDeps([LOCAL.postgres, LOCAL.rabbitmq], {
      docker: true,
      containers: async () => {
        throw new Error('connect ENOENT /var/run/docker.sock');
      },
    });
    const message = await failureMessage(await resolveBackingServices({}, deps));
    expect(message).toMatch(/Cannot start: Redis is not reachable/);
    expect(message).toMatch(/testcontainers could not start them: connect ENOENT/);
  });
});

describe('resolveBackingServices with a local server that refuses the default login', () => {
  it('asks for a URL with working credentials instead of an install', async () => {
    const { deps } = fakeDeps([LOCAL.redis, LOCAL.rabbitmq]);
    deps.probe = async (kind) =>
      kind === 'postgres'
        ? {
            ok: false,
            listening: true,
            reason: 'the port is open but the server refused us (password authentication failed)',
          }
        : { ok: true };
    const message = await failureMessage(await resolveBackingServices({}, deps));
    expect(message).toMatch(
      /To fix: set DATABASE_URL=postgres:\/\/USER:PASSWORD@HOST:5432\/platform with credentials/,
    );
    expect(message).not.toMatch(/apt-get/);
  });
});
