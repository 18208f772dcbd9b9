/* eslint-disable no-restricted-imports -- the services and the edge are apps, not libraries: their
   package entries start servers, so the browser tests take their factories from source, as
   worker-email's harness does. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import WebSocket from 'ws';
import { createClient, type PlatformClient } from '@platform/client';
import { loadConfig } from '@platform/config';
import { createLogger } from '@platform/observability';
import { openTokenResources, startServiceGrpc } from '@platform/runtime';
import { createTestEnvironment, MailSink, type TestEnvironment } from '@platform/testkit';
import { createApp as createAdminApp } from '../../../admin/src/app.js';
import { adminConfigSchema } from '../../../admin/src/config.js';
import { startAuth } from '../../../auth/src/auth.js';
import { authConfigSchema } from '../../../auth/src/config.js';
import { createApp as createMediaApp } from '../../../media/src/app.js';
import { mediaConfigSchema } from '../../../media/src/config.js';
import { realtimeConfigSchema } from '../../../realtime/src/config.js';
import { startRealtime } from '../../../realtime/src/realtime.js';
import { deleteRealtimeQueues } from '../../../realtime/test/support/realtime-queues.js';
import { closeEdge, createEdge, type EdgeTargets } from '../../../stack/src/edge.js';
import { webAppFiles } from '../../../stack/src/web-app-files.js';
import {
  composeUsers,
  createApp as createUsersApp,
  createGrpcRoutes as usersGrpcRoutes,
  type UsersParts,
} from '../../../users/src/app.js';
import { usersConfigSchema } from '../../../users/src/config.js';
import { emailConfigSchema } from '../../../worker-email/src/config.js';
import { startEmailWorker } from '../../../worker-email/src/worker.js';
import { logsConfigSchema } from '../../../worker-logs/src/config.js';
import { startLogsWorker } from '../../../worker-logs/src/worker.js';
import { mediaWorkerConfigSchema } from '../../../worker-media/src/config.js';
import { startMediaWorker } from '../../../worker-media/src/worker.js';
/* eslint-enable no-restricted-imports -- only the imports above reach into the apps */
import { listen } from './listen.js';

/** The Debian package's browser; CHROMIUM_PATH points elsewhere (CI installs it, see .ci/run). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const WEB_DIST = path.resolve(__dirname, '../../dist');

export interface StackWorld {
  /** The edge: the built app and the API at one origin, as under `pnpm start`. */
  url: string;
  sink: MailSink;
  browser: Browser;
  /** Gives an account a role, as an operator would in the database (the first admin has no other way). */
  promote(email: string, role: 'admin' | 'manager'): Promise<void>;
  /** Runs SQL on the platform's database, for seeding what would take too long through the API. */
  sql(query: string, bindings?: unknown[]): Promise<unknown>;
  /** An SDK client in Node against the edge (body mode, the `ws` socket): for seeding what pages show. */
  nodeClient(): PlatformClient;
  /**
   * worker-media held (stopped: uploads wait in its queue, so a file stays `processing`) and started
   * again, for tests of what a page shows while a file is processed and when it is done.
   */
  mediaWorker: { hold(): Promise<void>; release(): Promise<void> };
  close(): Promise<void>;
}

export interface StackOptions {
  /** More settings for auth, e.g. OAUTH_OIDC_PROVIDERS for a test's provider. */
  auth?: Record<string, string>;
}

/**
 * Everything a person's browser meets: auth, users, admin, media, realtime, worker-email, worker-logs and
 * worker-media in-process on the real
 * PostgreSQL, Redis and RabbitMQ, a real SMTP sink for the mail, and the edge serving apps/web/dist
 * in front of them; plus a headless Chromium.
 */
export async function startStackWorld(options: StackOptions = {}): Promise<StackWorld> {
  if (!existsSync(path.join(WEB_DIST, 'index.html')))
    throw new Error(`${WEB_DIST} is not built: run \`pnpm --filter @platform/web build\` first`);
  const env: TestEnvironment = await createTestEnvironment();
  const sink = await MailSink.start();
  // Filled in once the services run: the edge reads its targets per request.
  const targets: EdgeTargets = {};
  const edge = createEdge(targets, { webApp: webAppFiles(WEB_DIST) });
  const url = await listen(edge);
  const stops: (() => Promise<void>)[] = [];
  // Uploads live in a folder of this run (the filesystem backend), shared by media and worker-media.
  const folder = await mkdtemp(path.join(tmpdir(), 'web-media-'));
  const storage = { STORAGE_BACKEND: 'fs', STORAGE_DIR: path.join(folder, 'data') };
  try {
    // Mailed links open the app at the edge, as PUBLIC_WEB_URL does in a real run.
    const web = { PUBLIC_WEB_URL: url };
    const auth = await env.start(
      'auth',
      (e) => loadConfig(authConfigSchema, e),
      (config, resources) => startAuth(config, resources),
      // Providers call back to the edge, the API's public base, as in a real run.
      { ...web, OAUTH_REDIRECT_BASE_URL: url, ...options.auth },
    );
    let usersParts: UsersParts | undefined;
    const users = await env.start(
      'users',
      (e) => loadConfig(usersConfigSchema, e),
      async (config, resources) =>
        createUsersApp((usersParts = await composeUsers({ ...resources, config }))),
      web,
    );
    if (!usersParts) throw new Error('users did not compose');
    // realtime asks users for accounts and names over gRPC, with its own service identity.
    const usersGrpc = await startServiceGrpc(
      users.resources,
      { ...users.config, GRPC_PORT: 0 },
      usersGrpcRoutes(usersParts),
    );
    stops.push(() => usersGrpc.stop());
    const admin = await env.start(
      'admin',
      (e) => loadConfig(adminConfigSchema, e),
      (config, resources) => createAdminApp({ ...resources, config }),
      web,
    );
    const media = await env.start(
      'media',
      (e) => loadConfig(mediaConfigSchema, e),
      (config, resources) => createMediaApp({ ...resources, config }),
      storage,
    );
    const startMediaWorkerHere = () =>
      env.startWorker(
        'worker-media',
        (e) => loadConfig(mediaWorkerConfigSchema, e),
        (config, resources) => startMediaWorker(resources, config),
        storage,
      );
    let mediaWorker = await startMediaWorkerHere();
    await env.startWorker(
      'worker-email',
      (e) => loadConfig(emailConfigSchema, e),
      (config, resources) => startEmailWorker(resources, config),
      { SMTP_HOST: sink.host, SMTP_PORT: String(sink.port), MAIL_FROM: 'Platform <no-reply@platform.test>' },
    );
    // Seeding sends a few hundred messages in a burst; the per-socket rate limit is not under test here.
    // The audit log and the console's sign-in chart are read from what worker-logs stores.
    await env.startWorker(
      'worker-logs',
      (e) => loadConfig(logsConfigSchema, e),
      (config, resources) => startLogsWorker(resources, config),
      { LOG_BATCH_MAX_WAIT_MS: '100' },
    );
    const realtimeConfig = loadConfig(realtimeConfigSchema, {
      ...env.env,
      WS_MESSAGES_PER_SECOND: '5000',
      USERS_GRPC_URL: `http://127.0.0.1:${usersGrpc.port}`,
    });
    const resources = await openTokenResources(
      'realtime',
      realtimeConfig,
      createLogger('realtime', 'silent'),
    );
    const realtime = await startRealtime(realtimeConfig, resources);
    stops.push(() => realtime.stop().then(() => resources.close()));
    Object.assign(targets, {
      auth: auth.url,
      users: users.url,
      admin: admin.url,
      media: media.url,
      realtime: `http://127.0.0.1:${realtime.port}`,
    });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    stops.unshift(() => browser.close());
    return {
      url,
      sink,
      browser,
      async promote(email, role) {
        await auth.resources.orm.em
          .fork()
          .getConnection()
          .execute('update users set role = ? where email = ?', [role, email]);
      },
      sql: (query, bindings = []) =>
        auth.resources.orm.em
          .fork()
          .getConnection()
          .execute(query, bindings as never[]),
      nodeClient: () =>
        createClient({ baseUrl: url, transport: 'body', realtime: { WebSocket, pingIntervalMs: 60_000 } }),
      mediaWorker: {
        hold: () => mediaWorker.stop(),
        async release() {
          mediaWorker = await startMediaWorkerHere();
        },
      },
      async close() {
        await closeEdge(edge, 100);
        for (const stop of stops) await stop();
        await deleteRealtimeQueues(env.env.AMQP_URL ?? '', env.namespace);
        await env.close();
        await sink.close();
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await closeEdge(edge, 100);
    for (const stop of stops) await stop().catch(() => undefined);
    await env.close().catch(() => undefined);
    await sink.close().catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}
