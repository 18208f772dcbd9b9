import { loadConfig } from '@platform/config';
import type { HttpApp } from '@platform/http';
import { createTestEnvironment, routeTables, type TestEnvironment } from '@platform/testkit';
import { composeUsers, createApp } from '../../src/app.js';
import { usersConfigSchema } from '../../src/config.js';

describe('the users app', () => {
  let env: TestEnvironment;
  let app: HttpApp | undefined;

  beforeAll(async () => {
    env = await createTestEnvironment();
    await env.start(
      'users',
      (e) => loadConfig(usersConfigSchema, e),
      async (config, resources) => (app = createApp(await composeUsers({ ...resources, config }))),
    );
  });
  afterAll(() => env.close());

  it("registers exactly the contract's routes for users, and nothing else", () => {
    if (!app) throw new Error('the app was not built');
    const { registered, declared } = routeTables(app, 'users');
    expect(registered).toEqual(declared);
  });
});
