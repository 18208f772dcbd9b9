import { EDGE_ROUTES } from '@platform/contracts';
import {
  SERVICE_TABLE,
  edgeTargetsFor,
  entryPointOf,
  findPortClashes,
  nameColumnWidth,
  partitionByBuilt,
  serviceEnv,
  type ServiceSpec,
} from './service-table.js';

const shared = {
  databaseUrl: 'postgres://db/platform',
  redisUrl: 'redis://cache:6379',
  amqpUrl: 'amqp://bus:5672',
  jwtSecret: 's'.repeat(64),
  nodeEnv: 'development',
  logLevel: 'info',
};

function spec(name: ServiceSpec['name'], port: number, metricsPort: number): ServiceSpec {
  return { name, dir: name, port, metricsPort };
}

describe('SERVICE_TABLE', () => {
  it('runs auth, users and admin on their documented ports', () => {
    expect(SERVICE_TABLE.filter((s) => s.name !== 'realtime')).toEqual([
      { name: 'auth', dir: 'auth', port: 3001, metricsPort: 9101 },
      { name: 'users', dir: 'users', port: 3002, metricsPort: 9102 },
      { name: 'admin', dir: 'admin', port: 3003, metricsPort: 9103 },
    ]);
  });

  it('gives every service and the edge a port of its own', () => {
    expect(findPortClashes(SERVICE_TABLE, { edge: 8080 })).toEqual([]);
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
    expect(notBuilt.map((s) => s.name)).toEqual(['users', 'admin', 'realtime']);
  });

  it('looks for the entry point under apps/<dir>/dist', () => {
    expect(entryPointOf('/repo/apps', spec('users', 1, 2))).toBe('/repo/apps/users/dist/index.js');
  });
});

describe('findPortClashes', () => {
  it('names every owner of a port claimed twice', () => {
    const clashes = findPortClashes([spec('auth', 3001, 9101), spec('users', 3002, 3001)], { edge: 9101 });
    expect(clashes).toEqual(['9101: edge, auth metrics', '3001: auth, users metrics']);
  });
});

describe('serviceEnv', () => {
  it('keeps the launcher environment and sets the stack settings on top', () => {
    const env = serviceEnv(
      { PATH: '/bin', PORT: '1', BOOTSTRAP_ADMIN_EMAIL: 'a@b.c' },
      spec('auth', 3001, 9101),
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
      JWT_SECRET: shared.jwtSecret,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
    });
  });
});

describe('edgeTargetsFor', () => {
  it('points the edge at the loopback port of each running service only', () => {
    expect(edgeTargetsFor([spec('auth', 3001, 9101), spec('admin', 3003, 9103)])).toEqual({
      auth: 'http://127.0.0.1:3001',
      admin: 'http://127.0.0.1:3003',
    });
  });
});

describe('nameColumnWidth', () => {
  it('fits the longest service name and the launcher own name', () => {
    expect(nameColumnWidth([spec('auth', 1, 2)])).toBe('stack'.length);
    expect(nameColumnWidth(SERVICE_TABLE)).toBe('realtime'.length);
  });
});
