import { readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '@platform/config';
import type { BackingResolution } from '../../src/backing-services.js';
import { stackConfigSchema } from '../../src/config.js';
import { Launcher, type LauncherDeps } from '../../src/launcher.js';
import type { LocalMailSink } from '../../src/local-mail.js';
import { portInUse } from '../../src/readiness.js';
import type { ServiceSpec } from '../../src/service-table.js';
import type { StackLog } from '../../src/stack-log.js';
import { freePorts, writeFakeApps, type Behaviour } from './fake-apps.js';
import { json, request } from './http-helpers.js';

const URLS = {
  postgres: 'postgres://u:p@db.test:5432/platform',
  redis: 'redis://cache.test:6379',
  rabbitmq: 'amqp://bus.test',
};
const backingOk = async (): Promise<BackingResolution> => ({
  ok: true,
  urls: URLS,
  sources: { postgres: 'env', redis: 'env', rabbitmq: 'env' },
  stop: async () => undefined,
});

interface Harness {
  launcher: Launcher;
  services: ServiceSpec[];
  messages: string[];
  output: () => string;
  prepareDatabase: jest.Mock;
  startMailSink: jest.Mock;
  closeMailSink: jest.Mock;
}

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/**
 * A launcher over fake auth and users apps (admin is "not built"), with its output captured. `env` is
 * both the launcher's environment and what its children inherit, as process.env is in `pnpm start`.
 */
async function harness(
  behaviours: { auth: Behaviour; users: Behaviour },
  overrides: Partial<LauncherDeps> = {},
  env: Record<string, string> = {},
  options: { usersSendMail?: boolean } = {},
): Promise<Harness> {
  const appsDir = writeFakeApps({
    'fake-auth': { name: 'auth', behaviour: behaviours.auth },
    'fake-users': { name: 'users', behaviour: behaviours.users },
  });
  const [a, am, u, um, d, dm] = await freePorts(6);
  const services: ServiceSpec[] = [
    {
      kind: 'http',
      name: 'auth',
      dir: 'fake-auth',
      signsTokens: true,
      port: a ?? 0,
      metricsPort: am ?? 0,
    },
    {
      kind: 'http',
      name: 'users',
      dir: 'fake-users',
      port: u ?? 0,
      metricsPort: um ?? 0,
      sendsMail: options.usersSendMail === true,
    },
    {
      kind: 'http',
      name: 'admin',
      dir: 'not-built',
      port: d ?? 0,
      metricsPort: dm ?? 0,
    },
  ];
  const messages: string[] = [];
  const record = (message: string) => void messages.push(message);
  const log: StackLog = { info: record, warn: record, error: record };
  let text = '';
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const prepareDatabase = jest.fn(async () => ['Migration20250101000000']);
  const closeMailSink = jest.fn(async () => undefined);
  const startMailSink = jest.fn(async (o: { host: string }): Promise<LocalMailSink> => ({
    host: o.host,
    smtpPort: 2525,
    inboxUrl: `http://${o.host}:8026`,
    close: closeMailSink,
  }));
  const config = loadConfig(stackConfigSchema, {
    EDGE_PORT: '0',
    SHUTDOWN_GRACE_MS: '2000',
    MAIL_SINK_SMTP_PORT: '0',
    MAIL_SINK_HTTP_PORT: '0',
    ...env,
  });
  const launcher = new Launcher({
    config,
    baseEnv: { PATH: process.env.PATH, STACK_TEST_INHERITED: 'yes', ...env },
    appsDir,
    services,
    log,
    stdout: sink,
    stderr: sink,
    fileExists: (file) => !file.includes('not-built'),
    resolveBacking: backingOk,
    prepareDatabase,
    startMailSink,
    ...overrides,
  });
  cleanups.push(() => {
    launcher.killNow();
    rmSync(appsDir, { recursive: true, force: true });
  });
  return { launcher, services, messages, output: () => text, prepareDatabase, startMailSink, closeMailSink };
}

async function eventually(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function portsFree(services: readonly ServiceSpec[]): Promise<boolean[]> {
  return Promise.all(
    services.flatMap((s) => [s.port, s.metricsPort]).map(async (p) => !(await portInUse(p, '127.0.0.1'))),
  );
}

describe('Launcher', () => {
  it('starts the built services, routes through the edge and stops them all on shutdown', async () => {
    const h = await harness({ auth: 'healthy', users: 'healthy' });
    const running = h.launcher.run();
    await eventually(() => h.messages.some((m) => m.startsWith('platform is up')));

    const login = json(await request(`${h.launcher.edgeUrl}/login`));
    expect(login).toMatchObject({
      service: 'auth',
      forwardedFor: '127.0.0.1',
      env: {
        HOST: '127.0.0.1',
        TRUST_PROXY_HOPS: '1',
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
        DATABASE_URL: URLS.postgres,
        REDIS_URL: URLS.redis,
        AMQP_URL: URLS.rabbitmq,
        HAS_PRIVATE_KEYS: true,
        JWT_ISSUER: 'http://127.0.0.1:0', // the configured EDGE_PORT; 0 here, as the test asks for any port
        INHERITED: 'yes',
      },
    });
    expect(path.basename(String(login.cwd))).toBe('fake-auth');
    expect(json(await request(`${h.launcher.edgeUrl}/profile`))).toMatchObject({
      service: 'users',
      env: { HAS_PRIVATE_KEYS: false, HAS_PUBLIC_KEYS: true },
    });
    expect((await request(`${h.launcher.edgeUrl}/admin`)).status).toBe(503);

    expect(h.prepareDatabase).toHaveBeenCalledWith(URLS.postgres);
    expect(h.output()).toMatch(/^auth {2}\| \{"level":30,"service":"auth","msg":"listening"\}$/m);
    expect(h.messages.join('\n')).toMatch(/JWT_PRIVATE_KEYS is not set.*tokens will not survive a restart/);
    expect(h.messages.join('\n')).toMatch(/not built, so not started: admin/);
    expect(h.messages.join('\n')).toMatch(/metrics: http:\/\/127\.0\.0\.1:\d+\/metrics/);

    await expect(h.launcher.shutdown(0)).resolves.toBe(0);
    await expect(running).resolves.toBe(0);
    expect(h.output()).toMatch(/auth {2}\| .*"draining"/);
    expect(h.output()).toMatch(/users \| .*"draining"/);
    expect(await portsFree(h.services)).not.toContain(false);
  });

  it('catches the mail of a sending service in the local sink and prints its inbox', async () => {
    const h = await harness({ auth: 'healthy', users: 'healthy' }, {}, {}, { usersSendMail: true });
    const running = h.launcher.run();
    await eventually(() => h.messages.some((m) => m.startsWith('platform is up')));

    expect(h.startMailSink).toHaveBeenCalledWith({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
    const users = json(await request(`${h.launcher.edgeUrl}/profile`));
    expect(users).toMatchObject({
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: '2525', SMTP_SECURE: 'false' },
    });
    const auth = json(await request(`${h.launcher.edgeUrl}/login`));
    expect(auth).not.toHaveProperty('env.SMTP_HOST');
    expect(h.messages.join('\n')).toMatch(
      /inbox +http:\/\/127\.0\.0\.1:8026 +\(mail of users; SMTP sink 127\.0\.0\.1:2525\)/,
    );

    await expect(h.launcher.shutdown(0)).resolves.toBe(0);
    await running;
    expect(h.closeMailSink).toHaveBeenCalledTimes(1);
  });

  it('passes the user SMTP settings through and starts no sink when SMTP_HOST is set', async () => {
    const env = { SMTP_HOST: 'smtp.example.test', SMTP_PORT: '587', SMTP_SECURE: 'true' };
    const h = await harness({ auth: 'healthy', users: 'healthy' }, {}, env, { usersSendMail: true });
    const running = h.launcher.run();
    await eventually(() => h.messages.some((m) => m.startsWith('platform is up')));

    expect(h.startMailSink).not.toHaveBeenCalled();
    expect(json(await request(`${h.launcher.edgeUrl}/profile`))).toMatchObject({ env });
    expect(h.messages.join('\n')).toMatch(/mail +sent through SMTP_HOST=smtp\.example\.test/);

    await expect(h.launcher.shutdown(0)).resolves.toBe(0);
    await running;
  });

  it('serves HTTPS with EDGE_TLS_SELF_SIGNED and saves the certificate for curl --cacert', async () => {
    const h = await harness({ auth: 'healthy', users: 'healthy' }, {}, { EDGE_TLS_SELF_SIGNED: 'true' });
    const running = h.launcher.run();
    await eventually(() => h.messages.some((m) => m.startsWith('platform is up')));

    expect(h.launcher.edgeUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const saved = /--cacert (\S+)/.exec(h.messages.join('\n'))?.[1] ?? '';
    const login = json(await request(`${h.launcher.edgeUrl}/login`, { ca: readFileSync(saved, 'utf8') }));
    expect(login).toMatchObject({ service: 'auth', env: { JWT_ISSUER: 'https://127.0.0.1:0' } });

    await expect(h.launcher.shutdown(0)).resolves.toBe(0);
    await running;
  });

  it('starts nothing when the configured certificate cannot be read, naming the setting', async () => {
    const env = { EDGE_TLS_CERT: '/nonexistent/cert.pem', EDGE_TLS_KEY: '/nonexistent/key.pem' };
    const h = await harness({ auth: 'healthy', users: 'healthy' }, {}, env);
    await expect(h.launcher.run()).resolves.toBe(1);
    expect(h.messages.join('\n')).toMatch(/EDGE_TLS_CERT=\/nonexistent\/cert\.pem cannot be read/);
    expect(h.prepareDatabase).not.toHaveBeenCalled();
  });

  it('starts no service when the mail sink cannot start, and says how to move it', async () => {
    const startMailSink = jest.fn(async () => Promise.reject(new Error('listen EADDRINUSE')));
    const h = await harness(
      { auth: 'healthy', users: 'healthy' },
      { startMailSink },
      {},
      { usersSendMail: true },
    );
    await expect(h.launcher.run()).resolves.toBe(1);
    expect(h.messages.join('\n')).toMatch(
      /mail sink .* did not start: listen EADDRINUSE\. Move it with MAIL_SINK_SMTP_PORT/,
    );
    expect(h.output()).toBe('');
  });

  it('stops everything with exit code 1 when a service dies', async () => {
    const h = await harness({ auth: 'healthy', users: 'crash-after-ready' });
    await expect(h.launcher.run()).resolves.toBe(1);
    expect(h.messages).toContain('users exited with code 3 unexpectedly: stopping everything');
    expect(h.output()).toMatch(/auth {2}\| .*"draining"/);
    expect(await portsFree(h.services)).not.toContain(false);
  });

  it('names the service that does not become ready in time and stops the others', async () => {
    const h = await harness(
      { auth: 'healthy', users: 'never-ready' },
      {},
      { STACK_READY_TIMEOUT_MS: '1500' },
    );
    await expect(h.launcher.run()).resolves.toBe(1);
    const failure = h.messages.find((m) => m.startsWith('Not ready'));
    expect(failure).toMatch(/users \(answered 503\)/);
    expect(failure).not.toMatch(/auth/);
    expect(await portsFree(h.services)).not.toContain(false);
  });

  it('prints the backing-service message and starts nothing when a server is missing', async () => {
    const message = 'Cannot start: Redis is not reachable.';
    const h = await harness(
      { auth: 'healthy', users: 'healthy' },
      { resolveBacking: async () => ({ ok: false, message }) },
    );
    await expect(h.launcher.run()).resolves.toBe(1);
    expect(h.messages).toContain(message);
    expect(h.prepareDatabase).not.toHaveBeenCalled();
    expect(h.output()).toBe('');
  });

  it('refuses to start when a service port is already taken', async () => {
    const h = await harness({ auth: 'healthy', users: 'healthy' });
    const squatter = net.createServer();
    const port = h.services[0]?.port ?? 0;
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      await expect(h.launcher.run()).resolves.toBe(1);
      expect(h.messages.join('\n')).toMatch(new RegExp(`Already in use: 127\\.0\\.0\\.1:${port} \\(auth\\)`));
      expect(h.output()).toBe('');
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
