import {
  busyWarning,
  describeMachine,
  fmt,
  markdownTable,
  percentile,
  type MachineInfo,
  type Row,
} from '@platform/benchkit';
import type { RegistrationRun } from './registrations.js';
import { BENCH_BCRYPT_COST } from './services.js';
import type { ThroughputRun } from './throughput.js';

export interface EndToEnd {
  run: RegistrationRun;
  /** CPU seconds per second of each child during the measured run. */
  authCores: number;
  workerCores: number;
}

export interface EmailResults {
  machine: MachineInfo;
  settings: { rate: number; warmupSeconds: number; measureSeconds: number; directCount: number };
  endToEnd: EndToEnd;
  direct: ThroughputRun[];
}

function failures(run: RegistrationRun): string {
  const entries = Object.entries(run.failures);
  return entries.length ? entries.map(([code, n]) => `${n}×${code}`).join(', ') : '0';
}

/** The register -> mail run as quantity/value rows. */
export function endToEndRows(r: EmailResults): Row[] {
  const { run, authCores, workerCores } = r.endToEnd;
  const mailMs = run.mail.latenciesMs;
  return [
    ['register -> welcome mail at the SMTP sink', 'value'],
    [
      'offered POST /register (open loop)',
      `${fmt(run.offeredPerSecond)}/s for ${r.settings.measureSeconds} s`,
    ],
    ['201 Created / other answers', `${run.created} / ${failures(run)}`],
    ['achieved: 201s per second of the run', fmt(run.created / run.seconds)],
    [
      'POST /register answer p50 / p99 ms',
      `${fmt(percentile(run.httpMs, 0.5))} / ${fmt(percentile(run.httpMs, 0.99))}`,
    ],
    [
      '**send -> mail received p50 / p99 / max ms**',
      `**${fmt(percentile(mailMs, 0.5))} / ${fmt(percentile(mailMs, 0.99))} / ${fmt(mailMs.at(-1))}**`,
    ],
    ['welcome mails per second (first request to last mail)', fmt(run.mailsPerSecond)],
    ['mails lost / duplicated / unexpected', `${run.mail.lost} / ${run.mail.duplicated} / ${run.mail.stray}`],
    ['auth cores / worker-email cores during the run', `${fmt(authCores, 2)} / ${fmt(workerCores, 2)}`],
  ];
}

/** worker-email alone, one row per prefetch. */
export function throughputRows(r: EmailResults): Row[] {
  return [
    [
      'EMAIL_CONCURRENCY',
      'mails',
      'mails/s',
      'seconds',
      'publish s',
      'SMTP send mean ms',
      'lost',
      'duplicated',
      'worker CPU ms/mail',
    ],
    ...r.direct.map((d) => [
      String(d.concurrency),
      String(d.mail.delivered),
      fmt(d.mailsPerSecond),
      fmt(d.seconds, 2),
      fmt(d.publishSeconds, 2),
      fmt(d.smtpMeanMs),
      String(d.mail.lost),
      String(d.mail.duplicated),
      fmt(d.workerCpuMsPerMail, 2),
    ]),
  ];
}

/** This bench's section of docs/benchmarks.md. */
export function emailSection(r: EmailResults): string {
  const { run } = r.endToEnd;
  const best = Math.max(...r.direct.map((d) => d.mailsPerSecond));
  const clean =
    run.mail.lost === 0 &&
    run.mail.duplicated === 0 &&
    r.direct.every((d) => d.mail.lost + d.mail.duplicated === 0);
  const warning = busyWarning(r.machine);
  return `## worker-email: register -> welcome mail, and mails/s

Measured ${r.machine.date} on ${describeMachine(r.machine)}.
Command: \`pnpm --filter @platform/worker-email bench\` (or \`pnpm bench\` at the root).
${warning ? `\n> ${warning}\n` : ''}
**Result: at ${fmt(run.offeredPerSecond)} registrations/s the welcome mail reaches the SMTP server ${fmt(percentile(run.mail.latenciesMs, 0.5))} ms (p50) / ${fmt(percentile(run.mail.latenciesMs, 0.99))} ms (p99) after the request was sent, with ${run.mail.lost} lost and ${run.mail.duplicated} duplicated; worker-email alone delivers up to ${fmt(best)} mails/s${clean ? ', again none lost or duplicated' : ''}.**

${markdownTable(endToEndRows(r))}

${markdownTable(throughputRows(r))}

Setup. auth (\`apps/auth/src/index.ts\`) and worker-email (\`src/main.ts\`) each run in a process of
their own, from source through tsx (auth is no dependency of this app, so turbo does not build it
first), as deployed (\`NODE_ENV=production\`, info logs to a file) on a fresh database and AMQP
namespace, both removed afterwards. The SMTP server is \`MailSink\` from \`@platform/mail-sink\` (smtp-server +
mailparser) in the bench process. auth runs with \`BCRYPT_COST=${BENCH_BCRYPT_COST}\`: the default 12 costs about 290 ms
per registration on this machine, which would make hashing all that is measured; every rate limit is
10^9. Registrations are sent open loop, one every 1/${fmt(run.offeredPerSecond)} s whatever the answers do (each
with a fresh address; ${r.settings.warmupSeconds} s warm-up not counted); a mail is matched to its registration by
recipient. Then auth is stopped and ${r.settings.directCount} \`email.send\` welcome commands are published straight to
the \`email\` queue (after 200 for warm-up) and timed from the first publish to the last mail, at the
default prefetch and at a wider one (a new worker process).

How to read it.

- _send -> mail received_ spans the whole chain: the request, one bcrypt hash, the transaction that
  stages the user, the event and the command in the outbox, the relay's publish (kicked on commit),
  RabbitMQ, the worker's claim in \`email_deliveries\`, rendering, the SMTP dialogue (nodemailer, one
  connection per mail) and the sink parsing the message. The mail arrives 100-130 ms after the
  201, and 100 ms of that is the sink: smtp-server waits a fixed 100 ms before its greeting on every
  connection (to catch clients that talk too early), and the worker opens one connection per mail.
- The rate is chosen below the hashing bound (2 slots / ~0.1 s at cost 10 is about 20/s on these 2
  cores, less with the worker and the sink competing); above it the hash queue grows and the latency with it.
- _lost_ is a 201 with no mail within 30 s, _duplicated_ a second mail to one address (1 s is
  waited after the last one); both must be 0.
- worker-email alone is latency-bound, not CPU-bound: every send takes ~110 ms (_SMTP send mean_,
  the worker's \`email_send_duration_seconds\`), almost all of it the sink's greeting delay, while the
  worker spends only a few ms of CPU per mail. Throughput is therefore about EMAIL_CONCURRENCY / 0.11 s
  and grows with the prefetch until the cores run out; against a relay that greets at once (or with a
  pooled connection) the same worker would be several times faster.
`;
}
