import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import type { BackingKind, BackingUrls, StartedContainers } from './backing-services.js';

interface ContainerRecipe {
  container(): GenericContainer;
  port: number;
  url(host: string, port: number): string;
}

const STARTUP_TIMEOUT_MS = 120_000;

const RECIPES: Record<BackingKind, ContainerRecipe> = {
  postgres: {
    container: () =>
      new GenericContainer('postgres:15-alpine')
        .withEnvironment({
          POSTGRES_USER: 'postgres',
          POSTGRES_PASSWORD: 'postgres',
          POSTGRES_DB: 'platform',
        })
        .withExposedPorts(5432)
        // The image's init runs a throwaway server first; the second "ready" line is the real one.
        .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2)),
    port: 5432,
    url: (host, port) => `postgres://postgres:postgres@${host}:${port}/platform`,
  },
  redis: {
    container: () =>
      new GenericContainer('redis:7-alpine')
        .withExposedPorts(6379)
        .withWaitStrategy(Wait.forLogMessage('Ready to accept connections')),
    port: 6379,
    url: (host, port) => `redis://${host}:${port}`,
  },
  rabbitmq: {
    container: () =>
      new GenericContainer('rabbitmq:3.13-alpine')
        .withEnvironment({ RABBITMQ_DEFAULT_USER: 'platform', RABBITMQ_DEFAULT_PASS: 'platform' })
        .withExposedPorts(5672)
        .withWaitStrategy(Wait.forLogMessage('Server startup complete')),
    port: 5672,
    url: (host, port) => `amqp://platform:platform@${host}:${port}`,
  },
};

/** Starts throwaway servers for `kinds`; all or nothing (a partial start is stopped again). */
export async function startBackingContainers(kinds: readonly BackingKind[]): Promise<StartedContainers> {
  const settled = await Promise.allSettled(
    kinds.map(async (kind) => {
      const recipe = RECIPES[kind];
      const started = await recipe.container().withStartupTimeout(STARTUP_TIMEOUT_MS).start();
      return { kind, started, url: recipe.url(started.getHost(), started.getMappedPort(recipe.port)) };
    }),
  );
  const running: StartedTestContainer[] = [];
  const urls: Partial<BackingUrls> = {};
  let failure: unknown;
  for (const outcome of settled) {
    if (outcome.status === 'rejected') {
      failure ??= outcome.reason;
      continue;
    }
    running.push(outcome.value.started);
    urls[outcome.value.kind] = outcome.value.url;
  }
  const stop = async (): Promise<void> => {
    await Promise.allSettled(running.map((container) => container.stop()));
  };
  if (failure !== undefined) {
    await stop();
    throw failure;
  }
  return { urls, stop };
}
