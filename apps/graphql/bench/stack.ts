import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort, profilerArgs, startChild, type RunningChild } from '@platform/benchkit';
import { createOrm } from '@platform/db';
import { seedUser, type TestEnvironment } from '@platform/testkit';

const appsDir = fileURLToPath(new URL('../../', import.meta.url));

/** users, realtime and the gateway, built, as deployed, and the people and conversations they serve. */
export interface BenchStack {
  users: RunningChild;
  realtime: RunningChild;
  gateway: RunningChild;
  usersUrl: string;
  realtimeUrl: string;
  gatewayUrl: string;
  /** The bench's caller: a member of every seeded conversation. */
  token: string;
  stop(): Promise<void>;
}

/** Conversations of the caller besides global: direct ones and groups, each with a message. */
const DIRECT = 12;
const GROUPS = 6;

/** The settings every process shares: production, quiet logs, no limit in the way of the load. */
function commonEnv(environment: TestEnvironment): Record<string, string> {
  return {
    ...environment.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_POOL_MAX: '10',
    RATE_LIMIT_PER_MINUTE: '1000000000',
  };
}

/** A process's HTTP, metrics and gRPC ports. */
async function ports(): Promise<[number, number, number]> {
  return [await freePort(), await freePort(), await freePort()];
}

export async function startStack(environment: TestEnvironment): Promise<BenchStack> {
  const env = commonEnv(environment);
  const children: RunningChild[] = [];
  const start = async (app: string, own: Record<string, string>, port: number) => {
    const child = await startChild({
      name: app,
      args: [...(process.env.BENCH_PROFILE_APP === app ? profilerArgs() : []), 'dist/index.js'],
      cwd: `${appsDir}${app}`,
      env: { ...env, ...own, PORT: String(port) },
      readyUrl: `http://127.0.0.1:${port}/ready`,
    });
    children.push(child);
    return child;
  };
  try {
    const [usersPort, usersMetrics, usersGrpc] = await ports();
    const users = await start(
      'users',
      { METRICS_PORT: String(usersMetrics), GRPC_PORT: String(usersGrpc) },
      usersPort,
    );
    const [realtimePort, realtimeMetrics, realtimeGrpc] = await ports();
    const realtime = await start(
      'realtime',
      {
        HOST: '127.0.0.1',
        METRICS_PORT: String(realtimeMetrics),
        GRPC_PORT: String(realtimeGrpc),
        USERS_GRPC_URL: `http://127.0.0.1:${usersGrpc}`,
      },
      realtimePort,
    );
    const [gatewayPort, gatewayMetrics] = await ports();
    const gateway = await start(
      'graphql',
      {
        METRICS_PORT: String(gatewayMetrics),
        USERS_GRPC_URL: `http://127.0.0.1:${usersGrpc}`,
        REALTIME_GRPC_URL: `http://127.0.0.1:${realtimeGrpc}`,
        // Nothing here asks admin; port 1 answers no one, so a mistake shows as an error, not a hang.
        ADMIN_GRPC_URL: 'http://127.0.0.1:1',
      },
      gatewayPort,
    );
    const stack: BenchStack = {
      users,
      realtime,
      gateway,
      usersUrl: `http://127.0.0.1:${usersPort}`,
      realtimeUrl: `http://127.0.0.1:${realtimePort}`,
      gatewayUrl: `http://127.0.0.1:${gatewayPort}/graphql`,
      token: '',
      stop: () => Promise.all(children.map((child) => child.stop())).then(() => undefined),
    };
    stack.token = await seedConversations(environment, stack);
    return stack;
  } catch (error) {
    await Promise.all(children.map((child) => child.stop()));
    throw error;
  }
}

/**
 * The caller, and conversations made through the product's own doors: groups over REST, a message in
 * each (and the direct conversations the first message opens) through the gateway's `sendMessage`.
 */
async function seedConversations(environment: TestEnvironment, stack: BenchStack): Promise<string> {
  const orm = await createOrm({ url: environment.env.DATABASE_URL ?? '', poolMax: 2 });
  const me = await seedUser({ orm, tokens: environment.tokens }, { displayName: 'Bench Caller' });
  const others = [];
  for (let i = 0; i < DIRECT; i++)
    others.push(await seedUser({ orm, tokens: environment.tokens }, { displayName: `Person ${i + 1}` }));
  await orm.close(true);
  const headers = { authorization: `Bearer ${me.accessToken}`, 'content-type': 'application/json' };
  const send = async (input: Record<string, string>) => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        query: 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } } }',
        variables: { input: { clientId: randomUUID(), text: 'Hello from the bench', ...input } },
      }),
    });
    const text = await response.text();
    if (response.status !== 200 || text.includes('"errors"')) throw new Error(`sendMessage: ${text}`);
  };
  for (const other of others) await send({ toUserId: other.id });
  for (let i = 0; i < GROUPS; i++) {
    const response = await fetch(`${stack.realtimeUrl}/chat/groups`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: `Bench group ${i + 1}`,
        members: others.slice(i, i + 4).map((o) => o.id),
      }),
    });
    const group = (await response.json()) as { id?: string };
    if (response.status !== 201 || group.id === undefined)
      throw new Error(`POST /chat/groups: ${response.status}`);
    await send({ conversationId: group.id });
  }
  return me.accessToken;
}
