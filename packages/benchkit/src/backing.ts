import { createTestEnvironment, type TestEnvironment } from '@platform/testkit';

/** The local services named in the README; jest's global setup would resolve these, a bench must. */
const LOCAL = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
};

/**
 * An isolated world for one bench (its own migrated database, Redis prefix, AMQP namespace and JWT
 * secret), exactly as the integration tests get one. `close()` drops all of it; it also runs on
 * Ctrl-C so an interrupted bench leaves nothing behind.
 */
export async function isolatedEnvironment(): Promise<TestEnvironment> {
  for (const [name, url] of Object.entries(LOCAL)) process.env[name] ??= url;
  const environment = await createTestEnvironment();
  const onSignal = (signal: NodeJS.Signals) => {
    environment.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const close = environment.close.bind(environment);
  return {
    ...environment,
    async close() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await close();
    },
  };
}
