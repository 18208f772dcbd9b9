/* eslint-disable no-restricted-imports -- the SDK's end-to-end tests run the real services in process, from their sources; test code only, never part of the SDK */
import { loadConfig } from '@platform/config';
import { createLogger } from '@platform/observability';
import { MailSeal, openTokenResources, type TokenResources } from '@platform/runtime';
import { createTestEnvironment, eventually, type TestEnvironment } from '@platform/testkit';
import { startAuth } from '../../../../apps/auth/src/auth.js';
import { authConfigSchema } from '../../../../apps/auth/src/config.js';
import { realtimeConfigSchema } from '../../../../apps/realtime/src/config.js';
import { startRealtime } from '../../../../apps/realtime/src/realtime.js';
import { composeUsers, createApp as createUsersApp } from '../../../../apps/users/src/app.js';
import { usersConfigSchema } from '../../../../apps/users/src/config.js';
/* eslint-enable no-restricted-imports -- only the imports of the services above */

/** auth, users and realtime on ephemeral ports, on the real PostgreSQL, Redis and RabbitMQ of one test environment. */
export interface Platform {
  env: TestEnvironment;
  urls: { auth: string; users: string; realtime: string; ws: string };
  /** The token of the verification link mailed to `email` (read off the broker as worker-email would). */
  verificationToken(email: string): Promise<string>;
  close(): Promise<void>;
}

export async function startPlatform(authOverrides: Record<string, string> = {}): Promise<Platform> {
  const env = await createTestEnvironment();
  const auth = await env.start(
    'auth',
    (e) => loadConfig(authConfigSchema, e),
    (c, r) => startAuth(c, r),
    {
      REQUIRE_EMAIL_VERIFICATION: 'true',
      ...authOverrides,
    },
  );
  const users = await env.start(
    'users',
    (e) => loadConfig(usersConfigSchema, e),
    async (config, r) => createUsersApp(await composeUsers({ ...r, config })),
  );
  const realtimeConfig = loadConfig(realtimeConfigSchema, env.env);
  const resources: TokenResources = await openTokenResources(
    'realtime',
    realtimeConfig,
    createLogger('realtime', realtimeConfig.LOG_LEVEL),
  );
  const realtime = await startRealtime(realtimeConfig, resources);

  const mails: { to: string; verifyUrl: string }[] = [];
  const consumer = await auth.resources.bus.consume('email', async (envelope) => {
    const mail = MailSeal.fromKeys(undefined).open(envelope);
    // A registration's welcome mail carries the verification link (verify_email is for a resend or an address change).
    if ((mail.template === 'welcome' || mail.template === 'verify_email') && mail.verifyUrl)
      mails.push({ to: mail.to, verifyUrl: mail.verifyUrl });
  });

  return {
    env,
    urls: {
      auth: auth.url,
      users: users.url,
      realtime: `http://127.0.0.1:${realtime.port}`,
      ws: `ws://127.0.0.1:${realtime.port}/ws`,
    },
    async verificationToken(email) {
      await eventually(`the verification mail to ${email}`, () => mails.some((m) => m.to === email));
      const url = mails.find((m) => m.to === email)?.verifyUrl ?? '';
      return new URL(url).searchParams.get('token') ?? '';
    },
    async close() {
      await consumer.cancel();
      await realtime.stop();
      await resources.close();
      await env.close();
    },
  };
}
