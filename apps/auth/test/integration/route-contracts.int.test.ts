import { loadConfig } from '@platform/config';
import type { HttpApp } from '@platform/http';
import { createTestEnvironment, routeTables, type TestEnvironment } from '@platform/testkit';
import { startAuth } from '../../src/auth.js';
import { authConfigSchema } from '../../src/config.js';

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
    if (!app) throw new Error('the app was not built');
    const { registered, declared } = routeTables(app, 'auth');
    expect(registered).toEqual(declared);
  });
});
