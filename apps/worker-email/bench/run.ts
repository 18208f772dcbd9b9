// pnpm bench (apps/worker-email): register -> welcome mail handed to SMTP, end to end through auth,
// its outbox relay, RabbitMQ and worker-email, against a real SMTP sink; then worker-email alone,
// draining commands published straight to its queue. Prints tables and rewrites this bench's
// section of docs/benchmarks.md. BENCH_RATE / BENCH_SECONDS change the offered load and its length.
import { fileURLToPath } from 'node:url';
import { announceMachine, isolatedEnvironment, textTable, writeDocSection } from '@platform/benchkit';
import { MailSink } from '@platform/mail-sink';
import type { TestEnvironment } from '@platform/testkit';
import { emailSection, endToEndRows, throughputRows, type EndToEnd } from './doc.js';
import { smtpSendSeconds } from './metrics.js';
import { driveRegistrations } from './registrations.js';
import { startAuthChild, startEmailChild, withCpu, type ServiceChild } from './services.js';
import { publishAndDrain, type ThroughputRun } from './throughput.js';

const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));

/**
 * 10 registrations/s: each costs one bcrypt hash at cost 10 (~80-100 ms of one of the 2 cores), so
 * about 20/s saturates the hashing pool on an idle machine and 15/s already queued hashes once
 * anything else ran; 10/s leaves headroom for the relay, the worker, the sink and PostgreSQL on the
 * same cores, so the latency measured is the pipeline's, not a growing hash queue's.
 */
const settings = {
  rate: Number(process.env.BENCH_RATE ?? 10),
  warmupSeconds: 3,
  measureSeconds: Number(process.env.BENCH_SECONDS ?? 20),
  directCount: 2000,
  /** The worker's default prefetch (EMAIL_CONCURRENCY), then a wider one. */
  concurrencies: [4, 16],
};

async function main(): Promise<void> {
  const machine = await announceMachine('worker-email bench');
  const environment = await isolatedEnvironment();
  // The tracker listens to every mail; the sink itself need not hold them.
  const sink = await MailSink.start({ maxMessages: 100 });
  const children: ServiceChild[] = [];
  try {
    const auth = await startAuthChild(environment.env);
    children.push(auth);
    const worker = await startEmailChild(environment.env, sink);
    children.push(worker);
    const endToEnd = await benchEndToEnd(auth, worker, sink);
    await auth.child.stop();
    const direct = await benchDirect(environment, sink, worker, children);

    const results = { machine, settings, endToEnd, direct };
    console.log(`\n${textTable(endToEndRows(results))}\n\n${textTable(throughputRows(results))}\n`);
    writeDocSection(docPath, 'worker-email', emailSection(results));
  } finally {
    for (const { child } of children) await child.stop();
    await sink.close();
    await environment.close();
  }
}

async function benchEndToEnd(auth: ServiceChild, worker: ServiceChild, sink: MailSink): Promise<EndToEnd> {
  console.log(`register -> mail: ${settings.warmupSeconds} s warm-up at ${settings.rate}/s...`);
  await driveRegistrations(auth.url, sink, settings.rate, settings.warmupSeconds);
  console.log(`register -> mail: ${settings.measureSeconds} s measured at ${settings.rate}/s...`);
  const workerBefore = worker.child.cpuSeconds() ?? Number.NaN;
  const [run, authCpu] = await withCpu(auth.child, () =>
    driveRegistrations(auth.url, sink, settings.rate, settings.measureSeconds),
  );
  const workerCpu = (worker.child.cpuSeconds() ?? Number.NaN) - workerBefore;
  return { run, authCores: authCpu / run.seconds, workerCores: workerCpu / run.seconds };
}

/** worker-email alone at each prefetch; the first reuses the warm worker, later ones get a new one. */
async function benchDirect(
  environment: TestEnvironment,
  sink: MailSink,
  first: ServiceChild,
  children: ServiceChild[],
): Promise<ThroughputRun[]> {
  const runs: ThroughputRun[] = [];
  let worker = first;
  for (const [i, concurrency] of settings.concurrencies.entries()) {
    if (i > 0) {
      await worker.child.stop();
      worker = await startEmailChild(environment.env, sink, concurrency);
      children.push(worker);
    }
    const drain = (count: number) =>
      publishAndDrain(environment.env, environment.namespace, sink, count, concurrency);
    console.log(`worker-email alone, EMAIL_CONCURRENCY=${concurrency}: ${settings.directCount} mails...`);
    await drain(200); // warm-up: JIT, SMTP pool, database connections
    const smtpBefore = await smtpSendSeconds(worker.metricsUrl);
    const [run, cpu] = await withCpu(worker.child, () => drain(settings.directCount));
    const smtpAfter = await smtpSendSeconds(worker.metricsUrl);
    runs.push({
      ...run,
      workerCpuMsPerMail: (cpu / run.mail.delivered) * 1000,
      smtpMeanMs: ((smtpAfter.sum - smtpBefore.sum) / (smtpAfter.count - smtpBefore.count)) * 1000,
    });
  }
  return runs;
}

await main();
