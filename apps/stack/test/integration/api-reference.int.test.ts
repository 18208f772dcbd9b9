import type http from 'node:http';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { buildOpenApiDocument } from '@platform/contracts';
import { createTestEnvironment, type TestEnvironment } from '@platform/testkit';
import { spawnService, stopServices, type ServiceProcess } from '../../src/child-processes.js';
import { closeEdge, createEdge } from '../../src/edge.js';
import { waitUntilReady } from '../../src/readiness.js';
import { freePorts } from './fake-apps.js';
import { json, listen, request } from './http-helpers.js';

const AUTH_ENTRY = path.resolve(__dirname, '../../../auth/dist/index.js');

/** The built auth service (as `pnpm start` runs it) behind the real edge, in one NODE_ENV. */
async function authBehindEdge(
  env: TestEnvironment,
  nodeEnv: 'development' | 'production',
): Promise<{ edgeUrl: string; stop: () => Promise<void> }> {
  const [port, metricsPort, grpcPort] = await freePorts(3);
  const output = new PassThrough().resume();
  const child: ServiceProcess = spawnService({
    name: 'auth',
    entry: AUTH_ENTRY,
    cwd: path.dirname(path.dirname(AUTH_ENTRY)),
    env: {
      ...process.env,
      ...env.env,
      NODE_ENV: nodeEnv,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      GRPC_PORT: String(grpcPort),
      // What production insists on; none of it matters to the documents.
      BCRYPT_COST: '10',
      ARGON2_MEMORY_KIB: '19456',
      ARGON2_TIME_COST: '2',
      TOTP_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      EMAIL_SEAL_KEYS: `m1:${Buffer.alloc(32, 9).toString('base64')}`,
      MEDIA_URL_SECRET: Buffer.alloc(32, 5).toString('base64url'),
    },
    prefix: '',
    stdout: output,
    stderr: output,
  });
  const authUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady([{ name: 'auth', url: `${authUrl}/ready` }], {
      timeoutMs: 20_000,
      signal: AbortSignal.timeout(25_000),
    });
  } catch (error) {
    await stopServices([child], 5_000, () => undefined);
    throw error;
  }
  const edge: http.Server = createEdge({ auth: authUrl });
  const edgeUrl = await listen(edge);
  return {
    edgeUrl,
    stop: async () => {
      await closeEdge(edge, 100);
      await stopServices([child], 5_000, () => undefined);
    },
  };
}

describe('the API reference through the edge', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await createTestEnvironment();
  });
  afterAll(() => env.close());

  describe('in development', () => {
    let edgeUrl: string;
    let stop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      ({ edgeUrl, stop } = await authBehindEdge(env, 'development'));
    }, 30_000);
    afterAll(() => stop?.());

    it('serves GET /openapi.json: the document built from the contracts', async () => {
      const answer = await request(`${edgeUrl}/openapi.json`);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(json(answer)).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
    });

    it('serves GET /docs as an HTML page under a policy that allows only its own stylesheet', async () => {
      const answer = await request(`${edgeUrl}/docs`);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.headers['content-security-policy']).toMatch(
        /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; frame-ancestors 'none'/,
      );
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.body).toContain('<code>/admin/users/{id}</code>');
      expect(answer.body).not.toMatch(/<script/i);
    });
  });

  describe('in production', () => {
    let edgeUrl: string;
    let stop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      ({ edgeUrl, stop } = await authBehindEdge(env, 'production'));
    }, 30_000);
    afterAll(() => stop?.());

    it('still serves GET /openapi.json', async () => {
      const answer = await request(`${edgeUrl}/openapi.json`);
      expect(answer.status).toBe(200);
      expect(json(answer)).toMatchObject({ openapi: '3.1.1' });
    });

    it('answers GET /docs with a 404 problem', async () => {
      const answer = await request(`${edgeUrl}/docs`);
      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(answer)).toMatchObject({ code: 'not_found' });
    });
  });
});
