import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeDevKeys, removeScratch, runDevKeys } from './compose-run.js';
import { appOf, loadCompose, namedVolumes, type ComposeService } from './compose.js';
import { repoRoot } from './render.js';

const run = promisify(execFile);
const { services, volumes } = loadCompose();

/** What each backing-service URL must name: the image serving it, its port and where its credentials are. */
const BACKING = {
  DATABASE_URL: {
    image: /^postgres:/,
    port: '5432',
    user: 'POSTGRES_USER',
    password: 'POSTGRES_PASSWORD',
    path: 'POSTGRES_DB',
  },
  REDIS_URL: { image: /^redis:/, port: '6379' },
  AMQP_URL: {
    image: /^rabbitmq:/,
    port: '5672',
    user: 'RABBITMQ_DEFAULT_USER',
    password: 'RABBITMQ_DEFAULT_PASS',
  },
} as const;

const isOneShot = (s: ComposeService | undefined) => s?.restart === 'no';
const hasHealthcheck = (s: ComposeService | undefined) => (s?.healthcheck?.test?.length ?? 0) > 0;

describe('compose.yaml dependencies', () => {
  it('waits only in ways that can end: healthy for services with a healthcheck, completed for one-shots', () => {
    const problems = Object.entries(services).flatMap(([name, service]) =>
      Object.entries(service.depends_on ?? {}).flatMap(([target, { condition }]) => {
        const other = services[target];
        if (!other) return [`${name} -> ${target}: no such service`];
        if (condition === 'service_healthy' && !hasHealthcheck(other))
          return [`${name} -> ${target}: waits for healthy, but ${target} has no healthcheck`];
        if (condition === 'service_completed_successfully' && !isOneShot(other))
          return [`${name} -> ${target}: waits for completion of a service that restarts`];
        if (condition !== 'service_healthy' && condition !== 'service_completed_successfully')
          return [`${name} -> ${target}: condition ${condition}, which does not wait for readiness`];
        return [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('has no dependency cycle', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const cycles: string[] = [];
    const visit = (name: string, trail: string[]) => {
      if (done.has(name)) return;
      if (visiting.has(name)) return void cycles.push([...trail, name].join(' -> '));
      visiting.add(name);
      for (const next of Object.keys(services[name]?.depends_on ?? {})) visit(next, [...trail, name]);
      visiting.delete(name);
      done.add(name);
    };
    for (const name of Object.keys(services)) visit(name, []);
    expect(cycles).toEqual([]);
  });

  it('starts every app after the migration, and every app that mounts keys after dev-keys made them', () => {
    const problems = Object.entries(services)
      .filter(([, s]) => appOf(s) !== undefined && !isOneShot(s))
      .flatMap(([name, s]) => {
        const deps = s.depends_on ?? {};
        const found: string[] = [];
        if (deps.migrate?.condition !== 'service_completed_successfully')
          found.push(`${name}: not after migrate`);
        const mountsKeys = namedVolumes(s).some((v) => v.source.endsWith('-keys'));
        if (mountsKeys && deps['dev-keys']?.condition !== 'service_completed_successfully')
          found.push(`${name}: mounts keys but does not wait for dev-keys`);
        return found;
      });
    expect(problems).toEqual([]);
  });

  it('points every backing-service URL at the service, port and credentials that serve it, and waits for it', () => {
    const problems = Object.entries(services).flatMap(([name, service]) =>
      Object.entries(BACKING).flatMap(([key, want]) => {
        const value = service.environment?.[key];
        if (value === undefined) return [];
        const url = new URL(value);
        const target = services[url.hostname];
        const env = target?.environment ?? {};
        const found: string[] = [];
        if (!target || !want.image.test(target.image ?? ''))
          return [`${name}: ${key} names ${url.hostname}, which is not a ${want.image} service`];
        if (url.port !== want.port) found.push(`${name}: ${key} port ${url.port}, expected ${want.port}`);
        if ('user' in want && decodeURIComponent(url.username) !== env[want.user])
          found.push(`${name}: ${key} user ${url.username}, ${url.hostname} has ${env[want.user]}`);
        if ('password' in want && decodeURIComponent(url.password) !== env[want.password])
          found.push(`${name}: ${key} password does not match ${url.hostname}'s ${want.password}`);
        if ('path' in want && url.pathname.slice(1) !== env[want.path])
          found.push(`${name}: ${key} database ${url.pathname}, ${url.hostname} creates ${env[want.path]}`);
        if (service.depends_on?.[url.hostname]?.condition !== 'service_healthy')
          found.push(`${name}: uses ${url.hostname} without waiting for it to be healthy`);
        return found;
      }),
    );
    expect(problems).toEqual([]);
  });

  it('sends mail to the mail catcher, on the SMTP port it publishes', () => {
    const email = services['worker-email']?.environment ?? {};
    expect(email.SMTP_HOST).toBe('mailpit');
    expect(services.mailpit?.ports).toContain(`127.0.0.1:${email.SMTP_PORT}:${email.SMTP_PORT}`);
    expect(services['worker-email']?.depends_on?.mailpit?.condition).toBe('service_healthy');
  });

  it('publishes ports on 127.0.0.1 only, so nothing is reachable from the network', () => {
    const open = Object.entries(services).flatMap(([name, s]) =>
      (s.ports ?? []).filter((p) => !p.startsWith('127.0.0.1:')).map((p) => `${name}: ${p}`),
    );
    expect(open).toEqual([]);
  });

  it('declares every named volume it mounts', () => {
    const used = Object.values(services).flatMap((s) => namedVolumes(s).map((v) => v.source));
    expect([...new Set(used)].filter((v) => !(v in (volumes ?? {})))).toEqual([]);
  });
});

describe('the dev-keys service', () => {
  afterAll(removeScratch);

  it('makes each secret once: a second run keeps the keys, so tokens survive a restart', async () => {
    const root = await makeDevKeys();
    const read = () =>
      ['signing', 'shared', 'realtime'].flatMap((dir) =>
        readdirSync(path.join(root, dir)).map(
          (f) => `${dir}/${f}=${readFileSync(path.join(root, dir, f), 'utf8')}`,
        ),
      );
    const first = read();
    expect(first.map((line) => line.split('=')[0]).sort()).toEqual([
      'realtime/SERVICE_TOKEN_KEYS',
      'shared/EMAIL_SEAL_KEYS',
      'shared/GRPC_SERVICE_KEYS',
      'shared/JWT_PUBLIC_KEYS',
      'shared/MEDIA_URL_SECRET',
      'signing/JWT_PRIVATE_KEYS',
      'signing/TOTP_ENCRYPTION_KEYS',
    ]);
    expect(await runDevKeys(root)).toMatch(/already/);
    expect(read()).toEqual(first);
  });

  it('lets a variable set on the service win over its key file', async () => {
    const root = await makeDevKeys();
    writeFileSync(path.join(root, 'shared', 'not-a-name'), 'ignored');
    const script = path.join(repoRoot(), 'infra/compose/with-dev-keys.sh');
    const printEnv = [
      'node',
      '-e',
      'process.stdout.write(`${process.env.EMAIL_SEAL_KEYS}|${process.env.JWT_PUBLIC_KEYS?.slice(0, 8)}`)',
    ];
    const { stdout } = await run('sh', [script, ...printEnv], {
      env: { PATH: process.env.PATH, DEV_KEYS_ROOT: root, EMAIL_SEAL_KEYS: 'mine' },
    });
    expect(stdout).toBe('mine|{"keys":');
  });
});
