// pnpm bench (apps/worker-logs): how many request logs per second worker-logs drains from a backlog
// in its queue into audit_logs, at its default batch size and a smaller one. Prints a table and
// rewrites this bench's section of docs/benchmarks.md. BENCH_MESSAGES changes the backlog.
import { fileURLToPath } from 'node:url';
import { announceMachine, isolatedEnvironment, textTable, writeDocSection } from '@platform/benchkit';
import { createOrm } from '@platform/db';
import { ingestRows, logsSection } from './doc.js';
import { ingest, type IngestRun } from './ingest.js';

const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));

const settings = {
  messages: Number(process.env.BENCH_MESSAGES ?? 50_000),
  /** The default (500) first, so the headline number is what ships; then a smaller batch. */
  batchSizes: [500, 100],
};

async function main(): Promise<void> {
  const machine = await announceMachine('worker-logs bench');
  const environment = await isolatedEnvironment();
  const orm = await createOrm({ url: environment.env.DATABASE_URL ?? '', poolMax: 2 });
  try {
    const runs: IngestRun[] = [];
    for (const batchSize of settings.batchSizes) {
      console.log(
        `LOG_BATCH_SIZE=${batchSize}: publishing ${settings.messages} request logs, then draining...`,
      );
      runs.push(await ingest(environment.env, environment.namespace, orm, settings.messages, batchSize));
    }
    const results = { machine, messages: settings.messages, runs };
    console.log(`\n${textTable(ingestRows(results))}\n`);
    writeDocSection(docPath, 'worker-logs', logsSection(results));
  } finally {
    await orm.close(true);
    await environment.close();
  }
}

await main();
