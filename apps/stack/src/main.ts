import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerAvailable, probeBacking } from './backing-probes.js';
import { resolveBackingServices } from './backing-services.js';
import { runEntry } from './child-processes.js';
import { checkConfigs } from './config-check.js';
import type { StackConfig } from './config.js';
import { prepareDatabase } from './database-setup.js';
import { Launcher } from './launcher.js';
import { SERVICE_TABLE, nameColumnWidth } from './service-table.js';
import { createStackLog, prefixFor } from './stack-log.js';

/** Composition root of `pnpm start`: wires the real probes, containers and processes, handles signals. */
export async function main(config: StackConfig, env: NodeJS.ProcessEnv): Promise<void> {
  // dist/main.js -> apps/stack/dist -> apps/
  const appsDir = path.resolve(config.STACK_APPS_DIR ?? fileURLToPath(new URL('../../', import.meta.url)));
  const log = createStackLog(
    config.LOG_LEVEL,
    process.stdout,
    process.stderr,
    prefixFor('stack', nameColumnWidth(SERVICE_TABLE)),
  );
  const resolveBacking = () =>
    resolveBackingServices(
      { DATABASE_URL: config.DATABASE_URL, REDIS_URL: config.REDIS_URL, AMQP_URL: config.AMQP_URL },
      {
        probe: (kind, url) => probeBacking(kind, url),
        dockerAvailable: () => dockerAvailable(env),
        // Loaded only when needed: testcontainers pulls in a Docker client the usual run never uses.
        startContainers: async (kinds) =>
          (await import('./backing-containers.js')).startBackingContainers(kinds),
        log: (line) => log.info(line),
      },
    );
  const shared = { config, baseEnv: env, appsDir, services: SERVICE_TABLE, log, fileExists: existsSync };

  if (config.STACK_CONFIG_CHECK) {
    process.exit(await checkConfigs({ ...shared, stdout: process.stdout, resolveBacking, runEntry }));
  }

  const launcher = new Launcher({
    ...shared,
    stdout: process.stdout,
    stderr: process.stderr,
    prepareDatabase,
    // Loaded only when a sink starts: the test kit brings Redis, AMQP and ORM code the launcher never needs.
    startMailSink: async (options) => (await import('./mail-sink-server.js')).startLocalMailSink(options),
    resolveBacking,
  });

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      log.warn(`${signal} again: killing every service now`);
      launcher.killNow();
      process.exit(130);
    }
    log.info(`${signal} received: shutting down (press Ctrl-C again to force)`);
    void launcher.shutdown(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  // Whatever ends this process (a crash included), no service may outlive it.
  process.on('exit', () => launcher.killNow());

  const code = await launcher.run();
  process.exit(code);
}
