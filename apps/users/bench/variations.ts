import { tsxImport } from './lib/child.js';
import { freePort } from './lib/ports.js';
import { fmt, markdownTable, type Row } from './lib/report.js';
import { benchServer, type ServerRun, type Timing } from './bench-server.js';

interface Variation {
  name: string;
  /** Parts variation-server.ts switches off. */
  off: string[];
  env?: Record<string, string>;
}

const ALL_PARTS = ['events', 'denylist', 'ratelimit', 'bodyparser', 'database'];

/** One part of the /profile path removed at a time, then all of them: what each one costs. */
const VARIATIONS: Variation[] = [
  { name: 'as deployed (same code, from src)', off: [] },
  { name: 'no pino line per request (LOG_LEVEL=warn)', off: [], env: { LOG_LEVEL: 'warn' } },
  { name: 'no AMQP publish of the request log', off: ['events'] },
  { name: 'no denylist MGET', off: ['denylist'] },
  { name: 'no global rate limit (Lua script)', off: ['ratelimit'] },
  { name: 'no JSON body parser (a GET has no body)', off: ['bodyparser'] },
  { name: 'profile cached in process (no PostgreSQL read)', off: ['database'] },
  { name: 'all of the above off', off: ALL_PARTS, env: { LOG_LEVEL: 'warn' } },
];

export interface VariationResult {
  name: string;
  run: ServerRun;
}

/** Runs every variation against the same database, token and environment as the main bench. */
export async function runVariations(
  env: Record<string, string>,
  token: string,
  appDir: string,
  timing: Timing,
): Promise<VariationResult[]> {
  const results: VariationResult[] = [];
  for (const variation of VARIATIONS) {
    const port = await freePort();
    const run = await benchServer(
      `variation: ${variation.name}`,
      {
        name: 'users-variation',
        args: ['--import', tsxImport(), 'bench/variation-server.ts'],
        cwd: appDir,
        env: { ...env, ...variation.env, PORT: String(port), BENCH_OFF: variation.off.join(',') },
        readyUrl: `http://127.0.0.1:${port}/ready`,
      },
      `http://127.0.0.1:${port}/profile`,
      token,
      timing,
    );
    results.push({ name: variation.name, run });
  }
  return results;
}

export function variationRows(results: VariationResult[], baseline: ServerRun): Row[] {
  const full = results[0]?.run.serverCpuMsPerOk;
  const us = (ms: number | undefined) => (ms === undefined ? undefined : ms * 1000);
  return [
    ['variation', 'req/s', '÷ baseline', 'p50 ms', 'server CPU µs/req', 'saved vs as deployed'],
    ...results.map(({ name, run }): Row => [
      name,
      fmt(run.okPerSecond, 0),
      `${fmt(run.okPerSecond / baseline.okPerSecond, 2)}×`,
      fmt(run.p50Ms, 2),
      fmt(us(run.serverCpuMsPerOk), 0),
      full === undefined || run.serverCpuMsPerOk === undefined
        ? 'n/a'
        : `${fmt(us(full - run.serverCpuMsPerOk), 0)} µs`,
    ]),
  ];
}

export function variationsSection(results: VariationResult[], baseline: ServerRun, date: string): string {
  return `### users: where the /profile time goes (variations)

Measured ${date}, same machine and load as above, with \`BENCH_VARIATIONS=1 pnpm --filter @platform/users bench\`.
Each row is the users app started from \`apps/users/bench/variation-server.ts\` with one part of the
request path switched off (the first row switches nothing off and should match the service above);
the last column is the server CPU per request that the part costs. These are experiments to size a
fix, not configurations to deploy.

${markdownTable(variationRows(results, baseline))}
`;
}
