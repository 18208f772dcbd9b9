import { describeMachine, fmt, markdownTable, type MachineInfo, type Row } from '@platform/benchkit';
import type { ChatVerdict } from './chat.js';
import type { SoakOptions } from './options.js';
import type { OperationSummary } from './stats.js';
import { MIN_HALF_MINUTES, type ProcessTrend } from './verdict.js';

/** The settings the soak gives the stack (documented ones only), with why; shown in the doc. */
export const SOAK_SETTINGS: Record<string, string> = {
  RATE_LIMIT_PER_MINUTE: '1000000',
  AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
  AUTH_IDENTIFIER_RATE_LIMIT_PER_MINUTE: '1000000',
};

export interface SoakReport {
  machine: MachineInfo;
  busyWarning: string | undefined;
  options: SoakOptions;
  operations: OperationSummary[];
  chat: ChatVerdict;
  trends: ProcessTrend[];
  failures: string[];
  plotFile: string;
  loadSeconds: number;
}

const OFFERED: Record<string, (o: SoakOptions) => string> = {
  register: (o) => `${o.registerPerSecond}/s`,
  login: (o) => `${o.loginPerSecond}/s`,
  profile: (o) => `${o.profilePerSecond}/s`,
  'chat.send': (o) => `${o.sendPerSecond}/s`,
  'chat.delivery': () => 'each member',
  'ws.reconnect': (o) => `${fmt(o.sockets / o.reconnectEverySeconds, 2)}/s`,
};

export function operationRows(report: SoakReport): Row[] {
  return [
    [
      'operation',
      'offered',
      'attempts',
      'ok',
      '429',
      '5xx',
      'other errors',
      'error rate',
      'p50 ms',
      'p99 ms',
      'max ms',
    ],
    ...report.operations.map((op) => [
      op.operation,
      OFFERED[op.operation]?.(report.options) ?? '',
      String(op.attempts),
      String(op.ok),
      String(op.rateLimited),
      String(op.serverErrors),
      op.otherErrors === 0
        ? '0'
        : Object.entries(op.outcomes)
            .filter(([k]) => k !== 'ok' && k !== '429' && !(Number(k) >= 500))
            .map(([k, n]) => `${n} ${k}`)
            .join(', '),
      op.attempts === 0 ? 'n/a' : `${fmt(((op.attempts - op.ok) / op.attempts) * 100, 2)}%`,
      fmt(op.p50Ms),
      fmt(op.p99Ms),
      fmt(op.maxMs),
    ]),
  ];
}

export function processRows(trends: readonly ProcessTrend[]): Row[] {
  return [
    [
      'process',
      'RSS first / last MiB',
      'RSS slope, 2nd half',
      'fds first / last',
      'fd slope, 2nd half',
      'V8 heap slope, 2nd half',
      'cores',
      'verdict',
    ],
    ...trends.map((t) => [
      t.name,
      `${fmt(t.rssFirstMiB)} / ${fmt(t.rssLastMiB)}`,
      `${fmt(t.rssSlope, 2)} MiB/min`,
      `${t.fdsFirst} / ${t.fdsLast}`,
      `${fmt(t.fdsSlope, 2)}/min`,
      t.heapSlope === undefined ? 'n/a' : `${fmt(t.heapSlope, 2)} MiB/min`,
      fmt(t.cores, 2),
      !t.judged ? 'too short to judge' : t.leaks.length === 0 ? 'flat' : `**leak**: ${t.leaks.join('; ')}`,
    ]),
  ];
}

export function chatRows(chat: ChatVerdict): Row[] {
  const counts = (r: Record<string, number>) =>
    Object.keys(r).length === 0
      ? '0'
      : Object.entries(r)
          .map(([k, n]) => `${n} × ${k}`)
          .join(', ');
  return [
    ['chat check', 'value'],
    ['users (one socket each) / conversations', `${chat.users} / ${chat.conversations}`],
    ['messages acked', String(chat.acked)],
    ['deliveries expected (acked messages × members)', String(chat.expected)],
    ['lost / duplicated / unexpected', `${chat.lost} / ${chat.duplicated} / ${chat.unexpected}`],
    ['live frames repeated on one socket', String(chat.wire.liveDuplicates)],
    ['sends never settled', String(chat.unsettled)],
    ['upgrades refused (by status)', counts(chat.wire.refusedUpgrades)],
    ['closes the soak did not cause (by code)', counts(chat.wire.unexpectedCloses)],
  ];
}

/** The docs/benchmarks.md section. */
export function soakSection(report: SoakReport): string {
  const { options: o } = report;
  const verdict =
    report.failures.length === 0
      ? '**Result: passed.** No process leaked, no chat message was lost or duplicated, no 5xx.'
      : `**Result: failed.**\n\n${report.failures.map((f) => `- ${f}`).join('\n')}`;
  const settings = Object.entries(SOAK_SETTINGS)
    .map(([k, v]) => `\`${k}=${v}\``)
    .join(', ');
  return `## Soak: the whole stack under a steady mix (\`pnpm bench:soak\`)

Measured ${report.machine.date} on ${describeMachine(report.machine)}.
Command: \`pnpm bench:soak --minutes ${o.minutes}\` (${fmt(report.loadSeconds / 60, 1)} minutes of load).

${report.busyWarning ? `> ${report.busyWarning}\n\n` : ''}> The stack, the load and the backing services share 2 cores here: latencies are those of a
> crowded box. Read the error counts, the chat check and the trends first.

${verdict}

![RSS of every stack process and p99 of every operation over the run](${report.plotFile})

${markdownTable(operationRows(report))}

${markdownTable(chatRows(report.chat))}

${markdownTable(processRows(report.trends))}

Setup. \`pnpm bench:soak\` starts the stack exactly as \`pnpm start\` does (\`apps/stack/dist/index.js\`
as a child, every service on its usual port, the edge on :8080), on a database, Redis prefix and AMQP
namespace of its own (removed afterwards), with Argon2id at OWASP's parameters as deployed. The stack's
rate limits would refuse a soak's traffic from one address, so it runs with ${settings}
(documented settings that reach every service); 429s would still be counted. Mail goes to an SMTP
server in the soak's process (\`SMTP_HOST\`, \`SMTP_PORT\`) rather than the launcher's inbox, which keeps
the last 500 mails: at one sign-up a second it fills for about ten minutes, which would pass for a leak
of the launcher. ${o.sockets} users sign up
and sign in first, each with one socket through the edge (the \`@platform/client\` SDK over \`ws\`), in
groups of ${o.groupSize}, each with a direct conversation with a neighbour, all in the global channel.
Then, open loop for ${o.minutes} min: sign-ups with fresh addresses, sign-ins of accounts made earlier,
\`GET /profile\` by the chat users, chat sends from random open sockets to random conversations of
theirs, and sockets cut without a close handshake (each about once every ${o.reconnectEverySeconds} s; the SDK reconnects,
syncs from the last seq it saw and resends what was not acked).

How to read it.

- _chat.send_ is send to \`chat.ack\`; _chat.delivery_ is send to a live \`chat.message\` at another
  member's socket; _ws.reconnect_ is the cut to the next connect snapshot (backoff included).
- The chat check: after the load, the soak waits until every socket is open and every send is settled,
  then checks every member of every conversation against every acked message, by conversation and
  seq, exactly once; a message text (its clientId) found under two seqs is a duplicate too. Frames are
  also counted as they came off each socket, before the SDK deduplicates them.
- RSS (VmRSS) and open descriptors (\`/proc/<pid>/fd\`) of the launcher and of every service process
  are sampled every ${o.sampleSeconds} s. A Node process's RSS is a sawtooth (the heap grows until a
  major collection gives memory back), so the trend test follows its floor, the lowest value over the
  trailing ${o.leakWindowSeconds} s, which only climbs when something is kept for good. A process
  leaks when the Theil-Sen slope of that floor (the median of all pairwise slopes, which outliers
  barely move) over the second half of the run is above ${o.leakRssMiBPerMinute} MiB/min (or
  ${o.leakFdsPerMinute} descriptor/min) and the growth it implies over that half is above
  ${o.leakMinRssMiB} MiB (${o.leakMinFds} descriptors). The first half is warm-up (JIT, connection
  pools, bounded caches filling); runs under ${2 * MIN_HALF_MINUTES} minutes show the slopes without
  judging them.
- The run fails on any leak, any lost or duplicated message, and any 5xx (HTTP answers, refused
  upgrades, and socket \`error\` frames whose code stands for one, such as \`unavailable\`).
- _heap slope_ is the same floor slope for the V8 heap in use (each service's
  \`nodejs_heap_size_used_bytes\`), shown to tell our objects piling up from memory V8 or the allocator
  has not handed back; it is not judged.
- _cores_ is the process's CPU seconds per second over the run. Error rate counts every non-2xx
  answer and transport error.
`;
}
