// pnpm bench (apps/realtime), second part: opening a conversation (its newest history page of 50
// messages with reactions) served from the Redis recent-message cache, beside the same call reading
// PostgreSQL, in the same process, against the same conversation, alternating rounds. Prints a table
// and rewrites this bench's section of docs/benchmarks.md. BENCH_CALLS sets the calls per round.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import {
  announceMachine,
  describeMachine,
  isolatedEnvironment,
  percentile,
  textTable,
  writeDocSection,
} from '@platform/benchkit';
import { Bus } from '@platform/bus';
import { mediaUrlSignerOf } from '@platform/config';
import { createOrm } from '@platform/db';
import { createLogger } from '@platform/observability';
import { seedUser } from '@platform/testkit';
import { ChatFanout } from '../src/chat/chat-fanout.js';
import { ChatService } from '../src/chat/chat.service.js';
import { afinnSentiment, obscenityScreen } from '../src/chat/moderation/content-screen.js';
import { extractiveSummary } from '../src/chat/moderation/summary.js';
import { RecentCache } from '../src/chat/recent-cache.js';
import { seededUsers } from './seeded-users.js';

const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));
const calls = Number(process.env.BENCH_CALLS ?? 1000);
const rounds = 5;
const concurrency = 8;

interface Sample {
  label: string;
  latencies: number[];
  seconds: number;
}

/** `calls` history calls, `concurrency` at a time; returns each call's milliseconds. */
async function measure(call: () => Promise<unknown>, into: Sample): Promise<void> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < calls) {
      next += 1;
      const t0 = performance.now();
      await call();
      into.latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  into.seconds += (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const machine = await announceMachine('realtime history bench');
  const environment = await isolatedEnvironment();
  const env = environment.env;
  const log = createLogger('history-bench', 'silent');
  const orm = await createOrm({ url: env.DATABASE_URL ?? '', poolMax: 10 });
  const redis = new Redis(env.REDIS_URL ?? '', { keyPrefix: environment.redisPrefix });
  const bus = await Bus.connect({
    url: env.AMQP_URL ?? '',
    namespace: environment.namespace,
    connectionName: 'history-bench',
    logger: log,
  });
  try {
    const moderation = {
      screen: obscenityScreen(),
      sentiment: afinnSentiment(),
      summaries: extractiveSummary(),
      defaultAction: 'mask' as const,
      audit: async () => undefined,
    };
    const limits = {
      maxTextLength: 4000,
      maxGroupMembers: 500,
      mediaUrls: mediaUrlSignerOf({ MEDIA_URL_TTL_SECONDS: 3600 }),
    };
    const fanout = new ChatFanout(bus, log);
    const users = seededUsers();
    const database = new ChatService(orm, fanout, limits, moderation, users, null);
    const cached = new ChatService(orm, fanout, limits, moderation, users, new RecentCache(redis, log));
    const [ada, bob] = await Promise.all([
      seedUser({ orm, tokens: environment.tokens }),
      seedUser({ orm, tokens: environment.tokens }),
    ]);
    users.add(ada.id);
    users.add(bob.id);
    const actorA = { userId: ada.id, role: 'user' as const };
    const actorB = { userId: bob.id, role: 'user' as const };
    const dm = { kind: 'direct' as const, userId: bob.id };
    console.log('seeding one conversation: 200 messages, the newest 50 with two reactions each...');
    for (let n = 0; n < 200; n++) {
      const { message } = await database.send(
        actorA,
        dm,
        `message ${n}: the deploy went fine, thanks`,
        randomUUID(),
      );
      if (n >= 150) {
        await database.react(actorB, message.id, '👍', true);
        await database.react(actorA, message.id, '🎉', true);
      }
    }
    const target = { kind: 'direct' as const, userId: ada.id };
    const samples: Sample[] = [
      { label: 'PostgreSQL (no cache)', latencies: [], seconds: 0 },
      { label: 'Redis recent-message cache', latencies: [], seconds: 0 },
    ];
    const [fromDb, fromCache] = samples as [Sample, Sample];
    await cached.history(actorB, target); // fills the cache
    for (let round = 0; round < rounds; round++) {
      await measure(() => database.history(actorB, target), fromDb);
      await measure(() => cached.history(actorB, target), fromCache);
    }
    const rows = samples.map((s) => {
      const sorted = [...s.latencies].sort((a, b) => a - b);
      return {
        label: s.label,
        perSecond: s.latencies.length / s.seconds,
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
      };
    });
    const [db, cache] = rows as [(typeof rows)[0], (typeof rows)[0]];
    const ratio = cache.perSecond / db.perSecond;
    const table = [
      ['source', 'calls/s', 'p50 ms', 'p99 ms'],
      ...rows.map((r) => [r.label, r.perSecond.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2)]),
    ];
    console.log(textTable(table));
    const markdown = [
      '## realtime: opening a conversation (recent-message cache)',
      '',
      'Command: `pnpm --filter @platform/realtime bench` (its second part, `bench/history.ts`).',
      '',
      `**Result: the newest history page (50 messages with reactions) from the Redis cache answers ${ratio.toFixed(1)}× the calls per second of the same call reading PostgreSQL (p50 ${cache.p50.toFixed(2)} ms vs ${db.p50.toFixed(2)} ms).**`,
      '',
      '| source | calls/s | p50 ms | p99 ms |',
      '| ------ | ------- | ------ | ------ |',
      ...rows.map(
        (r) => `| ${r.label} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`,
      ),
      '',
      `Both are \`ChatService.history\` in one process, ${concurrency} calls at a time, ${rounds} alternating rounds of ${calls} calls each, on one direct conversation of 200 messages. The database path is three queries (membership, the page over the hot and archive tables, reaction counts); the cached path is one GET and a JSON parse. Measured ${machine.date} on ${describeMachine(machine)}.`,
    ].join('\n');
    writeDocSection(docPath, 'realtime-history', markdown);
  } finally {
    await bus.close();
    redis.disconnect();
    await orm.close(true);
    await environment.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
