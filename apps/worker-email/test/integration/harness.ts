/* eslint-disable no-restricted-imports -- auth and users are apps, not libraries: their package
   entries start servers, so the test takes their factories from source. */
import { Bus } from '@platform/bus';
import { loadConfig } from '@platform/config';
import { createOrm, type MikroORM } from '@platform/db';
import { createLogger } from '@platform/observability';
import {
  apiClient,
  createTestEnvironment,
  MailSink,
  type ApiClient,
  type TestEnvironment,
  type TestWorker,
} from '@platform/testkit';
import { startAuth } from '../../../auth/src/auth.js';
import { authConfigSchema } from '../../../auth/src/config.js';
// The email change starts in users and its undo link ends in auth.
import { composeUsers, createApp as createUsersApp } from '../../../users/src/app.js';
import { usersConfigSchema } from '../../../users/src/config.js';
import { emailConfigSchema, type EmailConfig } from '../../src/config.js';
import { startEmailWorker } from '../../src/worker.js';
/* eslint-enable no-restricted-imports -- only the imports above reach into the apps */

export { eventually, hostPort } from '@platform/testkit';

export const STRONG_PASSWORD = 'violet-anchor-meadow-42!';

export interface MailWorld {
  env: TestEnvironment;
  sink: MailSink;
  bus: Bus;
  orm: MikroORM;
  /** Starts worker-email against the sink (overrides win). */
  startWorker(overrides?: Record<string, string>): Promise<TestWorker<EmailConfig>>;
  /**
   * Starts the auth service in the same environment. Stop it at the end of the test: its outbox relay
   * would otherwise publish rows that later tests stage (any replica's relay may publish any row).
   */
  startAuth(overrides?: Record<string, string>): Promise<{ api: ApiClient; stop(): Promise<void> }>;
  /** Starts the users service in the same environment; stop it at the end, as auth. */
  startUsers(overrides?: Record<string, string>): Promise<{ api: ApiClient; stop(): Promise<void> }>;
  close(): Promise<void>;
}

/** A test environment with a real SMTP server, a publishing bus and a database handle. */
export async function mailWorld(): Promise<MailWorld> {
  const env = await createTestEnvironment();
  // Addresses at refused.test get a permanent 550, like a mailbox that does not exist.
  const sink = await MailSink.start({ rejectRecipients: (address) => address.endsWith('@refused.test') });
  const bus = await Bus.connect({
    url: env.env.AMQP_URL ?? '',
    namespace: env.namespace,
    connectionName: 'worker-email-test',
    logger: createLogger('test', 'silent'),
  });
  const orm = await createOrm({ url: env.env.DATABASE_URL ?? '', poolMax: 2 });
  return {
    env,
    sink,
    bus,
    orm,
    startWorker: (overrides = {}) =>
      env.startWorker(
        'worker-email',
        (e) => loadConfig(emailConfigSchema, e),
        (config, resources) => startEmailWorker(resources, config),
        {
          SMTP_HOST: sink.host,
          SMTP_PORT: String(sink.port),
          SMTP_CONNECTION_TIMEOUT_MS: '1000',
          SMTP_SOCKET_TIMEOUT_MS: '1000',
          MAIL_FROM: 'Platform <no-reply@platform.test>',
          ...overrides,
        },
      ),
    async startAuth(overrides = {}) {
      const auth = await env.start(
        'auth',
        (e) => loadConfig(authConfigSchema, e),
        (config, resources) => startAuth(config, resources),
        { PUBLIC_WEB_URL: 'https://app.example.test', ...overrides },
      );
      return { api: apiClient(auth.url), stop: auth.stop };
    },
    async startUsers(overrides = {}) {
      const users = await env.start(
        'users',
        (e) => loadConfig(usersConfigSchema, e),
        async (config, resources) => createUsersApp(await composeUsers({ ...resources, config })),
        { PUBLIC_WEB_URL: 'https://app.example.test', ...overrides },
      );
      return { api: apiClient(users.url), stop: users.stop };
    },
    async close() {
      await bus.close();
      await orm.close(true);
      await env.close();
      await sink.close();
    },
  };
}

/** The token in the first verify-email link of a mail's text. */
export function verifyToken(text: string): string {
  const match = /https:\/\/app\.example\.test\/verify-email\?token=([\w-]+)/.exec(text);
  if (!match?.[1]) throw new Error(`no verification link in:\n${text}`);
  return match[1];
}
