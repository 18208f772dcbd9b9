// pnpm bench (apps/realtime), third part: chat at 1 000 000 messages. Seeds 1000 group conversations
// of 1000 messages each (one user is in all of them), then measures, in this process against
// PostgreSQL: the newest history page of a conversation, and a search on a common word (one message in
// ten has it), before and after the archive job moved ~90% of the messages out of the hot table; the
// archive pass itself (messages per second, the longest batch transaction) while sends go on beside
// it, with those sends' latency. Rewrites this bench's section of docs/benchmarks.md.
// BENCH_CONVERSATIONS (1000) and BENCH_PER_CONVERSATION (1000) size it.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  announceMachine,
  describeMachine,
  isolatedEnvironment,
  percentile,
  writeDocSection,
} from '@platform/benchkit';
import { Bus } from '@platform/bus';
import { mediaUrlSignerOf } from '@platform/config';
import { createOrm } from '@platform/db';
import { createLogger } from '@platform/observability';
import { seedUser } from '@platform/testkit';
import { archiveBatch } from '../src/chat/archive.queries.js';
import { ChatFanout } from '../src/chat/chat-fanout.js';
import { ChatService } from '../src/chat/chat.service.js';
import { afinnSentiment, obscenityScreen } from '../src/chat/moderation/content-screen.js';
import { extractiveSummary } from '../src/chat/moderation/summary.js';
import { seededUsers } from './seeded-users.js';

const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));
const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 1000);
const perConversation = Number(process.env.BENCH_PER_CONVERSATION ?? 1000);
const ARCHIVE_AFTER_HOURS = 100; // messages are one hour apart: the newest 100 of each stay hot

const ms = (sorted: number[], q: number) => percentile(sorted, q).toFixed(1);

async function timed(times: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await call(i);
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const machine = await announceMachine('realtime archive bench');
  const environment = await isolatedEnvironment();
  const env = environment.env;
  const log = createLogger('archive-bench', 'silent');
  const orm = await createOrm({ url: env.DATABASE_URL ?? '', poolMax: 10 });
  const bus = await Bus.connect({
    url: env.AMQP_URL ?? '',
    namespace: environment.namespace,
    connectionName: 'archive-bench',
    logger: log,
  });
  const knex = orm.em.getKnex();
  try {
    const ada = await seedUser({ orm, tokens: environment.tokens });
    const total = conversations * perConversation;
    console.log(`seeding ${conversations} conversations x ${perConversation} messages (${total})...`);
    const seedStarted = performance.now();
    await knex.raw(
      `insert into conversations (id, kind, name, created_by, last_seq)
       select gen_random_uuid(), 'group', 'bench ' || i, ?, ? from generate_series(1, ?) i`,
      [ada.id, perConversation, conversations],
    );
    await knex.raw(
      `insert into conversation_members (conversation_id, user_id, role, last_read_seq, last_delivered_seq)
       select id, ?, 'owner', last_seq, last_seq from conversations where kind = 'group'`,
      [ada.id],
    );
    await knex.raw(
      `insert into chat_messages (id, conversation_id, seq, author_id, client_id, body, created_at)
       select gen_random_uuid(), c.id, s, ?, c.id || ':' || s,
              case when s % 10 = 0 then 'we deploy the release build at noon, message ' || s
                   else 'message number ' || s || ' about nothing in particular' end,
              now() - (? - s) * interval '1 hour'
       from conversations c cross join generate_series(1, ?) s where c.kind = 'group'`,
      [ada.id, perConversation, perConversation],
    );
    await knex.raw('analyze');
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.log(`seeded in ${seedSeconds.toFixed(0)} s`);

    const ids = ((await knex('conversations').where('kind', 'group').select('id')) as { id: string }[]).map(
      (row) => row.id,
    );
    const chat = new ChatService(
      orm,
      new ChatFanout(bus, log),
      {
        maxTextLength: 4000,
        maxGroupMembers: 500,
        mediaUrls: mediaUrlSignerOf({ MEDIA_URL_TTL_SECONDS: 3600 }),
      },
      {
        screen: obscenityScreen(),
        sentiment: afinnSentiment(),
        summaries: extractiveSummary(),
        defaultAction: 'mask',
        audit: async () => undefined,
      },
      // Conversations by id only: nothing here asks users for an account.
      seededUsers(),
      null,
    );
    const actor = { userId: ada.id, role: 'user' as const };
    const pick = (i: number) => ({
      kind: 'conversation' as const,
      conversationId: ids[(i * 7919) % ids.length] ?? '',
    });
    const reads = async () => ({
      history: await timed(300, (i) => chat.history(actor, pick(i))),
      older: await timed(300, (i) => chat.history(actor, pick(i), { before: 50 })),
      search: await timed(50, () => chat.search(actor, 'deploy', 20)),
    });
    console.log('reads with every message in the hot table...');
    const before = await reads();

    console.log('archiving, with a send every 50 ms beside it...');
    const cutoff = new Date(Date.now() - ARCHIVE_AFTER_HOURS * 3600_000);
    const sends: number[] = [];
    let archiving = true;
    const sender = (async () => {
      let n = 0;
      while (archiving) {
        const t0 = performance.now();
        await chat.send(actor, pick(n++), `during the archive ${n}`, randomUUID());
        sends.push(performance.now() - t0);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const batches: number[] = [];
    let moved = 0;
    const archiveStarted = performance.now();
    for (;;) {
      const t0 = performance.now();
      const batch = await archiveBatch(knex, cutoff, 1000);
      batches.push(performance.now() - t0);
      if (!batch || batch.length === 0) break;
      moved += batch.length;
    }
    const archiveSeconds = (performance.now() - archiveStarted) / 1000;
    archiving = false;
    await sender;
    await knex.raw('analyze');
    console.log(`archived ${moved} in ${archiveSeconds.toFixed(0)} s`);
    console.log('reads with ~90% of the messages archived...');
    const after = await reads();

    batches.sort((a, b) => a - b);
    sends.sort((a, b) => a - b);
    const row = (label: string, r: Awaited<ReturnType<typeof reads>>) =>
      `| ${label} | ${ms(r.history, 0.5)} / ${ms(r.history, 0.99)} | ${ms(r.older, 0.5)} / ${ms(r.older, 0.99)} | ${ms(r.search, 0.5)} / ${ms(r.search, 0.99)} |`;
    const markdown = [
      '## realtime: chat at 1 000 000 messages, and the archive',
      '',
      'Command: `pnpm --filter @platform/realtime bench` (its third part, `bench/archive.ts`).',
      '',
      `**Result: with ${total} messages, moving ${moved} of them to the archive took ${archiveSeconds.toFixed(0)} s (${(moved / archiveSeconds).toFixed(0)} messages/s) in batches of 1000 whose longest transaction held its rows ${percentile(batches, 1).toFixed(0)} ms; sends beside it took p99 ${ms(sends, 0.99)} ms. Search on a common word: p99 ${ms(before.search, 0.99)} ms before, ${ms(after.search, 0.99)} ms after (target < 50 ms).**`,
      '',
      '| messages in the hot table | newest page p50 / p99 ms | older page p50 / p99 ms | search "deploy" p50 / p99 ms |',
      '| ------------------------- | ------------------------ | ----------------------- | ---------------------------- |',
      row(`all ${total}`, before),
      row(`${total - moved} (the rest archived)`, after),
      '',
      `Seeded with SQL in ${seedSeconds.toFixed(0)} s: ${conversations} group conversations of ${perConversation} messages, one hour apart, one in ten containing "deploy"; one user is a member of every conversation, so search covers all of them (the worst case). Reads are \`ChatService.history\` (without the Redis cache) and \`search\` in this process, one at a time, on conversations spread over the set; "older page" asks for the 49 messages before seq 50, which are archived after the pass. Messages older than ${ARCHIVE_AFTER_HOURS} hours were archived with \`archiveBatch\` (the job's statement) in a loop while one send every 50 ms went to the same conversations. Measured ${machine.date} on ${describeMachine(machine)}.`,
    ].join('\n');
    console.log(markdown);
    writeDocSection(docPath, 'realtime-archive', markdown);
  } finally {
    await bus.close();
    await orm.close(true);
    await environment.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
