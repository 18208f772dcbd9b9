import {
  busyWarning,
  describeMachine,
  fmt,
  markdownTable,
  type MachineInfo,
  type Row,
} from '@platform/benchkit';
import type { IngestRun } from './ingest.js';
import { batchSizeRanges } from './metrics.js';

export interface LogsResults {
  machine: MachineInfo;
  messages: number;
  runs: IngestRun[];
}

/** One row per LOG_BATCH_SIZE. */
export function ingestRows(r: LogsResults): Row[] {
  return [
    [
      'LOG_BATCH_SIZE',
      'messages',
      'messages/s',
      'seconds',
      'rows / distinct ids',
      'batches',
      'mean rows/batch',
      'batches by size',
      'worker cores',
      'publish s',
    ],
    ...r.runs.map((run) => [
      String(run.batchSize),
      String(run.messages),
      fmt(run.messagesPerSecond, 0),
      fmt(run.seconds, 2),
      `${run.rows} / ${run.distinct}`,
      String(run.metrics.batches),
      fmt(run.metrics.batchRows / run.metrics.batches),
      batchSizeRanges(run.metrics.buckets),
      fmt(run.workerCores, 2),
      fmt(run.publishSeconds, 2),
    ]),
  ];
}

/** This bench's section of docs/benchmarks.md. */
export function logsSection(r: LogsResults): string {
  const warning = busyWarning(r.machine);
  const [first] = r.runs;
  const complete = r.runs.every((run) => run.rows === run.messages && run.distinct === run.messages);
  const best = r.runs.reduce((a, b) => (b.messagesPerSecond > a.messagesPerSecond ? b : a));
  return `## worker-logs: request-log ingestion, messages/s

Measured ${r.machine.date} on ${describeMachine(r.machine)}.
Command: \`pnpm --filter @platform/worker-logs bench\` (or \`pnpm bench\` at the root).
${warning ? `\n> ${warning}\n` : ''}
**Result: worker-logs stores ${fmt(first?.messagesPerSecond, 0)} request logs/s with its default batch of ${first?.batchSize ?? 'n/a'} rows (best: ${fmt(best.messagesPerSecond, 0)}/s at ${best.batchSize}); ${complete ? 'every message became exactly one row' : 'ROWS ARE MISSING OR DUPLICATED, see the table'}.**

${markdownTable(ingestRows(r))}

Setup. For each batch size, ${r.messages} \`log.request\` envelopes (like the ones the HTTP services
publish) are first published to the \`logs\` queue; then worker-logs starts in a process of its own
(\`src/main.ts\` through tsx, \`NODE_ENV=production\`, info logs to a file, \`LOG_BATCH_MAX_WAIT_MS\`
at its default 1000, prefetch = 2 × batch) and is timed from the moment its \`/ready\` answers until
its \`logs_rows_inserted_total\` reaches the count (polled every 50 ms; it may have stored a batch or
two just before ready answered, which the rate slightly flatters). \`audit_logs\` is emptied between
runs and counted afterwards. Fresh database and AMQP namespace, removed at the end. _batches by size_
comes from the worker's \`logs_batch_size\` histogram (its buckets are 1, 10, 50, 100, 250, 500, 1000).

How to read it. With a backlog every batch but the last is full, so the batch size sets the number of
INSERT round trips and commits per message; each batch is one multi-row
\`INSERT ... ON CONFLICT (message_id) DO NOTHING\`, and the next batch fills from the prefetched
messages while it is written. What remains per message is the AMQP delivery, JSON and zod parsing,
and one ack; worker, RabbitMQ and PostgreSQL share the same ${r.machine.cores} cores, so _worker cores_ below 1
means the worker waited for the broker or the database.
`;
}
