// pnpm bench (apps/graphql): the same answers through the GraphQL gateway and through REST, in one
// run: the caller's profile (`{ me }` against GET /profile) and a page of their conversations with the
// last message's author named (`conversations(first: 20)` against GET /chat/conversations then GET
// /people for the names, what the web app does). Every door is driven the same way, by fetch with 32
// requests in flight, and charged the CPU of every process the answer crosses (gateway, realtime,
// users). BENCH_PROFILE_APP=<users|realtime|graphql> with BENCH_CPU_PROF=<dir> profiles one of them.
// Prints a table and rewrites this bench's section of docs/benchmarks.md.
import { fileURLToPath } from 'node:url';
import {
  announceMachine,
  busyWarning,
  fmt,
  isolatedEnvironment,
  markdownTable,
  measure,
  printProfilesByLabel,
  loadCells,
  loadHeader,
  textTable,
  warmUp,
  writeDocSection,
  type CallSpec,
  type Measured,
  type Row,
  type RunningChild,
} from '@platform/benchkit';
import { startStack, type BenchStack } from './stack.js';

const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));

const concurrency = 32;
const warmupSeconds = 3;
const measureSeconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = 2;

interface Door {
  label: string;
  /** The processes that do the work; their CPU is charged to it. */
  serving: RunningChild[];
  load: CallSpec;
}

type Run = Measured & { label: string; round: number; processes: string[] };

const ME = '{ me { id email displayName role createdAt } }';
const CONVERSATIONS = `{ conversations(first: 20) { edges { node {
  id kind name unread lastSeq with { id displayName avatarUrl }
  lastMessage { id seq text at author { id displayName avatarUrl } }
} } } }`;

function doors(stack: BenchStack): Door[] {
  const auth = { authorization: `Bearer ${stack.token}` };
  const base = { concurrency, durationSeconds: measureSeconds };
  const getJson = async (url: string): Promise<Record<string, unknown> | undefined> => {
    const response = await fetch(url, { headers: auth });
    const body = (await response.json()) as Record<string, unknown>;
    return response.status === 200 ? body : undefined;
  };
  const graphql = async (query: string, check: (data: Record<string, unknown>) => boolean) => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    return (
      response.status === 200 && body.errors === undefined && body.data !== undefined && check(body.data)
    );
  };
  return [
    {
      label: 'REST GET /profile',
      serving: [stack.users],
      load: { ...base, call: async () => (await getJson(`${stack.usersUrl}/profile`))?.id !== undefined },
    },
    {
      label: 'GraphQL { me }',
      serving: [stack.gateway, stack.users],
      load: { ...base, call: () => graphql(ME, (data) => data.me !== null) },
    },
    {
      label: 'REST conversations + /people',
      serving: [stack.realtime, stack.users],
      load: {
        ...base,
        call: async () => {
          const list = (await getJson(`${stack.realtimeUrl}/chat/conversations`)) as
            { items: { with?: string; lastMessage: { from: string } | null }[] } | undefined;
          if (list === undefined || list.items.length < 19) return false;
          const ids = new Set<string>();
          for (const item of list.items.slice(0, 20)) {
            if (item.with !== undefined) ids.add(item.with);
            if (item.lastMessage) ids.add(item.lastMessage.from);
          }
          const people = await getJson(`${stack.usersUrl}/people?ids=${[...ids].join(',')}`);
          return Array.isArray(people?.people) && people.people.length === ids.size;
        },
      },
    },
    {
      label: 'GraphQL conversations(first: 20)',
      serving: [stack.gateway, stack.realtime, stack.users],
      load: {
        ...base,
        call: () =>
          graphql(CONVERSATIONS, (data) => {
            const page = data.conversations as { edges: { node: { lastMessage: unknown } }[] };
            return page.edges.length >= 19;
          }),
      },
    },
  ];
}

async function main(): Promise<void> {
  const machine = await announceMachine('graphql bench');
  const environment = await isolatedEnvironment();
  const runs: Run[] = [];
  let stack: BenchStack | undefined;
  try {
    stack = await startStack(environment);
    const all = doors(stack);
    for (const door of all) {
      if (!(await door.load.call())) throw new Error(`${door.label}: wrong answer`);
      await warmUp(door.serving, { ...door.load, durationSeconds: warmupSeconds });
    }
    for (let round = 1; round <= rounds; round++)
      for (const door of round % 2 === 1 ? all : [...all].reverse()) {
        console.log(`${door.label}: round ${round}, ${measureSeconds} s measured...`);
        runs.push({
          ...(await measure(door.serving, door.load)),
          label: door.label,
          round,
          processes: door.serving.map((child) => child.name),
        });
      }
  } finally {
    await stack?.stop(); // writes the profile, when asked for one
    await environment.close();
  }
  const profiled = process.env.BENCH_PROFILE_APP;
  const child =
    profiled && stack
      ? { users: stack.users, realtime: stack.realtime, graphql: stack.gateway }[profiled]
      : undefined;
  if (child) printProfilesByLabel(runs, child);
  report(machine, runs);
}

function report(machine: Awaited<ReturnType<typeof announceMachine>>, runs: Run[]): void {
  const rows: Row[] = [
    [...loadHeader('answers'), 'server CPU µs/answer', 'of which, by process'],
    ...runs.map((run) => [
      ...loadCells(run),
      run.serverCpuMsPerOk === undefined ? 'n/a' : fmt(run.serverCpuMsPerOk * 1000, 0),
      run.processes
        .map(
          (name, i) => `${name} ${fmt(((run.coresByProcess[i] ?? Number.NaN) / run.okPerSecond) * 1e6, 0)}`,
        )
        .join(' + '),
    ]),
  ];
  console.log(`\n${textTable(rows)}\n`);
  writeDocSection(
    docPath,
    'graphql',
    [
      '## GraphQL against REST: `me` and a page of conversations',
      '',
      `${machine.date}, ${concurrency} requests in flight (fetch), ${measureSeconds} s per run, ${rounds} rounds` +
        ' (the order reverses in the second), NODE_ENV=production. The gateway owns no data: `me` is one' +
        ' `GetProfile` call to users; the conversations page is one `ListConversations` call to realtime' +
        ' and one batched `GetUsers` call to users for the names (DataLoader). The REST page is two' +
        ' requests, as the web app makes them. _server CPU_ sums every process the answer crosses.',
      'Command: `pnpm --filter @platform/graphql bench` after `pnpm build`.',
      '',
      busyWarning(machine) ?? '',
      '',
      markdownTable(rows),
    ].join('\n'),
  );
}

await main();
