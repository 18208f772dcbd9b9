import { EDGE_ROUTES } from '@platform/contracts';
import {
  SERVICE_TABLE,
  mediaStorageDir,
  edgeTargetsFor,
  entryPointOf,
  findPortClashes,
  nameColumnWidth,
  partitionByBuilt,
  readyTargetsOf,
  serviceEnv,
  type HttpServiceSpec,
  type WorkerName,
  type WorkerSpec,
} from './service-table.js';

const shared = {
  databaseUrl: 'postgres://db/platform',
  redisUrl: 'redis://cache:6379',
  amqpUrl: 'amqp://bus:5672',
  keys: { privateKeys: '{"keys":["private"]}', publicKeys: '{"keys":["public"]}', generated: false },
  issuer: 'http://127.0.0.1:8080',
  nodeEnv: 'development',
  logLevel: 'info',
  smtp: {},
};

function spec(name: HttpServiceSpec['name'], port: number, metricsPort: number): HttpServiceSpec {
  return { kind: 'http', name, dir: name, port, metricsPort };
}

function worker(name: WorkerName, port: number, metricsPort: number, sendsMail = false): WorkerSpec {
  return { kind: 'worker', name, dir: name, port, metricsPort, sendsMail };
}

describe('SERVICE_TABLE', () => {
  it('runs auth, users and admin on their documented ports', () => {
    expect(
      SERVICE_TABLE.filter((s) => s.kind === 'http' && s.name !== 'realtime' && s.name !== 'graphql'),
    ).toEqual([
      { ...spec('auth', 3001, 9101), grpcPort: 50051, signsTokens: true, signsMediaUrls: true },
      { ...spec('users', 3002, 9102), grpcPort: 50052, signsMediaUrls: true },
      { ...spec('admin', 3003, 9103), grpcPort: 50053, signsMediaUrls: true },
      { ...spec('media', 3007, 9107), storesMedia: true, signsMediaUrls: true },
    ]);
  });

  it('runs the AMQP workers, with only worker-email sending mail', () => {
    expect(SERVICE_TABLE.filter((s) => s.kind === 'worker')).toEqual([
      worker('worker-email', 3005, 9105, true),
      {
        kind: 'worker',
        name: 'worker-logs',
        dir: 'worker-logs',

        port: 3006,
        metricsPort: 9106,
      },
      {
        kind: 'worker',
        name: 'worker-media',
        dir: 'worker-media',
        port: 3008,
        metricsPort: 9108,
        storesMedia: true,
      },
    ]);
  });

  it('gives the media service and its worker the one media folder, relative to the repository', () => {
    const media = SERVICE_TABLE.filter((s) => s.storesMedia === true);
    expect(media.map((s) => s.name)).toEqual(['media', 'worker-media']);
    const mediaDir = mediaStorageDir({}, '/repo');
    expect(mediaDir).toBe('/repo/.local/media');
    expect(mediaStorageDir({ STORAGE_DIR: 'files' }, '/repo')).toBe('/repo/files');
    for (const spec of media)
      expect(serviceEnv({}, spec, { ...shared, mediaDir }).STORAGE_DIR).toBe(mediaDir);
    expect(serviceEnv({}, spec('auth', 3001, 9101), { ...shared, mediaDir }).STORAGE_DIR).toBeUndefined();
  });

  it('gives every service and the edge a port of its own', () => {
    expect(findPortClashes(SERVICE_TABLE, { edge: 8080, 'mail sink': 1025, 'mail inbox': 8025 })).toEqual([]);
  });

  it('has an entry for every service that EDGE_ROUTES sends traffic to', () => {
    const known = new Set(SERVICE_TABLE.map((s) => s.name));
    expect(EDGE_ROUTES.filter((r) => !known.has(r.service))).toEqual([]);
  });
});

describe('partitionByBuilt', () => {
  it('runs only the services whose dist/index.js exists', () => {
    const built = new Set([entryPointOf('/repo/apps', SERVICE_TABLE[0] ?? spec('auth', 1, 2))]);
    const { runnable, notBuilt } = partitionByBuilt(SERVICE_TABLE, '/repo/apps', (file) => built.has(file));
    expect(runnable.map((s) => s.name)).toEqual(['auth']);
    expect(notBuilt.map((s) => s.name)).toEqual([
      'users',
      'admin',
      'realtime',
      'graphql',
      'worker-email',
      'worker-logs',
      'media',
      'worker-media',
    ]);
  });

  it('starts every service, worker or not, at apps/<dir>/dist/index.js', () => {
    expect(entryPointOf('/repo/apps', spec('users', 1, 2))).toBe('/repo/apps/users/dist/index.js');
    expect(entryPointOf('/repo/apps', worker('worker-logs', 1, 2))).toBe(
      '/repo/apps/worker-logs/dist/index.js',
    );
  });
});

describe('findPortClashes', () => {
  it('names every owner of a port claimed twice', () => {
    const clashes = findPortClashes([spec('auth', 3001, 9101), spec('users', 3002, 3001)], { edge: 9101 });
    expect(clashes).toEqual(['9101: edge, auth metrics', '3001: auth, users metrics']);
  });

  it('counts a gRPC port as claimed too', () => {
    const users = { ...spec('users', 3002, 9102), grpcPort: 3001 };
    expect(findPortClashes([spec('auth', 3001, 9101), users])).toEqual(['3001: auth, users gRPC']);
  });

  it('never counts port 0 (any free port) as a clash', () => {
    expect(findPortClashes([spec('auth', 0, 0)], { edge: 0, 'mail sink': 0 })).toEqual([]);
  });
});

describe('the GraphQL gateway', () => {
  it('runs on 3009 and is told where every gRPC port of the stack is', () => {
    const gateway = SERVICE_TABLE.find((s) => s.name === 'graphql');
    expect(gateway).toMatchObject({ kind: 'http', port: 3009, metricsPort: 9109 });
    if (gateway === undefined) throw new Error('no gateway');
    const env = serviceEnv({}, gateway, shared);
    expect(env).toMatchObject({
      USERS_GRPC_URL: 'http://127.0.0.1:50052',
      ADMIN_GRPC_URL: 'http://127.0.0.1:50053',
      REALTIME_GRPC_URL: 'http://127.0.0.1:50054',
    });
    expect(serviceEnv({}, spec('users', 3002, 9102), shared)).not.toHaveProperty('USERS_GRPC_URL');
  });
});

describe('readyTargetsOf', () => {
  it("waits for each service's /ready, and for gRPC health where it serves gRPC", () => {
    const users = SERVICE_TABLE.filter((s) => s.name === 'users');
    expect(readyTargetsOf(users)).toEqual([
      { name: 'users', url: 'http://127.0.0.1:3002/ready' },
      { name: 'users gRPC', url: 'grpc://127.0.0.1:50052' },
    ]);
  });
});

describe('serviceEnv', () => {
  it('keeps the launcher environment and sets the stack settings on top', () => {
    const env = serviceEnv(
      { PATH: '/bin', PORT: '1', BOOTSTRAP_ADMIN_EMAIL: 'a@b.c' },
      { ...spec('auth', 3001, 9101), signsTokens: true },
      shared,
    );
    expect(env).toEqual({
      PATH: '/bin',
      BOOTSTRAP_ADMIN_EMAIL: 'a@b.c',
      PORT: '3001',
      METRICS_PORT: '9101',
      HOST: '127.0.0.1',
      TRUST_PROXY_HOPS: '1',
      DATABASE_URL: shared.databaseUrl,
      REDIS_URL: shared.redisUrl,
      AMQP_URL: shared.amqpUrl,
      JWT_ISSUER: shared.issuer,
      JWT_PRIVATE_KEYS: shared.keys.privateKeys,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
    });
  });

  it('gives the private keys to the token signer only, and the public ones to everyone else', () => {
    const base = { JWT_PRIVATE_KEYS: '{"keys":["inherited"]}', JWT_SIGNING_KEY_ID: 'k1' };
    const verifier = serviceEnv(base, spec('users', 3002, 9102), shared);
    expect(verifier).not.toHaveProperty('JWT_PRIVATE_KEYS');
    expect(verifier).not.toHaveProperty('JWT_SIGNING_KEY_ID');
    expect(verifier.JWT_PUBLIC_KEYS).toBe(shared.keys.publicKeys);
    const worker_ = serviceEnv(base, worker('worker-email', 3005, 9105), shared);
    expect(worker_).not.toHaveProperty('JWT_PRIVATE_KEYS');
    expect(SERVICE_TABLE.filter((s) => s.signsTokens === true).map((s) => s.name)).toEqual(['auth']);
  });

  it('gives the media URL secret only to the services that sign or check media URLs', () => {
    const withSecret = { ...shared, mediaUrlSecret: 'run-secret' };
    const signers = SERVICE_TABLE.filter((s) => s.signsMediaUrls === true);
    expect(signers.map((s) => s.name)).toEqual(['auth', 'users', 'admin', 'realtime', 'media']);
    for (const signer of signers)
      expect(serviceEnv({}, signer, withSecret).MEDIA_URL_SECRET).toBe('run-secret');
    const graphql = serviceEnv({ MEDIA_URL_SECRET: 'inherited' }, spec('graphql', 3009, 9109), withSecret);
    expect(graphql).not.toHaveProperty('MEDIA_URL_SECRET');
  });

  it("gives realtime its service key and users' gRPC URL, and the gRPC servers the key to trust", () => {
    const service = { realtimeKeys: '{"keys":["realtime-private"]}', trusted: '{"realtime":{"keys":[]}}' };
    const withService = { ...shared, keys: { ...shared.keys, service } };
    const byName = (name: string) => {
      const found = SERVICE_TABLE.find((s) => s.name === name);
      if (found === undefined) throw new Error(name);
      return serviceEnv({ SERVICE_TOKEN_KEYS: 'inherited' }, found, withService);
    };
    expect(byName('realtime')).toMatchObject({
      SERVICE_TOKEN_KEYS: service.realtimeKeys,
      USERS_GRPC_URL: 'http://127.0.0.1:50052',
    });
    expect(byName('users').GRPC_SERVICE_KEYS).toBe(service.trusted);
    expect(byName('auth').GRPC_SERVICE_KEYS).toBe(service.trusted);
    for (const name of ['auth', 'users', 'admin', 'graphql', 'media'])
      expect(byName(name)).not.toHaveProperty('SERVICE_TOKEN_KEYS');
  });

  it('gives a worker no proxy hops to trust: nothing proxies to its health port', () => {
    const env = serviceEnv({}, worker('worker-logs', 3006, 9106), shared);
    expect(env).toMatchObject({ PORT: '3006', METRICS_PORT: '9106', HOST: '127.0.0.1' });
    expect(env).not.toHaveProperty('TRUST_PROXY_HOPS');
  });

  it('sets and drops SMTP settings only for services that send mail', () => {
    const base = { SMTP_HOST: '', SMTP_USER: 'me', SMTP_PASSWORD: 'secret', MAIL_FROM: 'a@b.c' };
    const smtp = {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '1025',
      SMTP_USER: undefined,
      SMTP_PASSWORD: undefined,
    };
    const mailer = serviceEnv(base, worker('worker-email', 3005, 9105, true), { ...shared, smtp });
    expect(mailer).toMatchObject({ SMTP_HOST: '127.0.0.1', SMTP_PORT: '1025', MAIL_FROM: 'a@b.c' });
    expect(mailer).not.toHaveProperty('SMTP_USER');
    expect(mailer).not.toHaveProperty('SMTP_PASSWORD');

    const other = serviceEnv(base, spec('auth', 3001, 9101), { ...shared, smtp });
    expect(other).toMatchObject(base);
    expect(other).not.toHaveProperty('SMTP_PORT');
  });
});

describe('edgeTargetsFor', () => {
  it('points the edge at the loopback port of each running HTTP service only, never at a worker', () => {
    const running = [spec('auth', 3001, 9101), worker('worker-email', 3005, 9105), spec('admin', 3003, 9103)];
    expect(edgeTargetsFor(running)).toEqual({
      auth: 'http://127.0.0.1:3001',
      admin: 'http://127.0.0.1:3003',
    });
  });
});

describe('nameColumnWidth', () => {
  it('fits the longest service name and the launcher own name', () => {
    expect(nameColumnWidth([spec('auth', 1, 2)])).toBe('stack'.length);
    expect(nameColumnWidth(SERVICE_TABLE)).toBe('worker-email'.length);
  });
});
