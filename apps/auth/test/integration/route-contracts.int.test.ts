import { loadConfig } from '@platform/config';
import { routerPath, routesOf } from '@platform/contracts';
import { registeredRoutes, type HttpApp } from '@platform/http';
import { createTestEnvironment, type TestEnvironment } from '@platform/testkit';
import { startAuth } from '../../src/auth.js';
import { authConfigSchema } from '../../src/config.js';

/** The kit's probes, which every service answers and the API document leaves out. */
const PROBES = ['GET /health', 'GET /ready'];

describe('the auth app', () => {
  let env: TestEnvironment;
  let app: HttpApp | undefined;

  beforeAll(async () => {
    env = await createTestEnvironment();
    await env.start(
      'auth',
      (e) => loadConfig(authConfigSchema, e),
      async (config, resources) => (app = await startAuth(config, resources)),
    );
  });
  afterAll(() => env.close());

  it("registers exactly the contract's routes for auth, and nothing else", () => {
    const contract = routesOf('auth').map((r) => `${r.method.toUpperCase()} ${routerPath(r.path)}`);
    if (!app) throw new Error('the app was not built');
    const registered = registeredRoutes(app).filter((r) => !PROBES.includes(r));
    expect([...registered].sort()).toEqual([...contract].sort());
  });
});
