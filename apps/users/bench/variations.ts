import { tsxImport, freePort, fmt, markdownTable, type Row } from '@platform/benchkit';
import { BASELINE } from './doc.js';
import {
  combined,
  measureRounds,
  startTarget,
  stopTargets,
  type Target,
  type TargetRun,
  type Timing,
} from './targets.js';

interface Variation {
  name: string;
  /** Parts variation-server.ts switches off. */
  off: string[];
  env?: Record<string, string>;
}

/** Groups of the /profile path switched off: what each costs, and what is left when all are. */
const VARIATIONS: Variation[] = [
  { name: 'as deployed (same code, from src)', off: [] },
  { name: 'no profile cache (one SELECT per request)', off: ['cache'] },
  { name: 'no Redis or AMQP per request (rate limit, request-log publish)', off: ['ratelimit', 'events'] },
  {
    name: 'both of the above off, and no log line (LOG_LEVEL=warn)',
    off: ['ratelimit', 'events'],
    env: { LOG_LEVEL: 'warn' },
  },
];

/** Runs every variation against the same database, token and environment as the main bench. */
export async function runVariations(
  env: Record<string, string>,
  token: string,
  appDir: string,
  timing: Timing,
): Promise<TargetRun[]> {
  const targets: Target[] = [];
  try {
    for (const variation of VARIATIONS) {
      const port = await freePort();
      targets.push(
        await startTarget(
          variation.name,
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
        ),
      );
    }
    return await measureRounds(targets, timing.rounds);
  } finally {
    await stopTargets(targets);
  }
}

export function variationRows(runs: TargetRun[], mainRuns: TargetRun[]): Row[] {
  const baseline = combined(mainRuns, BASELINE).okPerSecond;
  const deployed = combined(runs, VARIATIONS[0]?.name ?? '').cpuUsPerOk;
  return [
    ['variation', 'req/s', '÷ baseline', 'server CPU µs/req', 'by round', 'saved vs as deployed'],
    ...VARIATIONS.map(({ name }): Row => {
      const c = combined(runs, name);
      return [
        name,
        fmt(c.okPerSecond, 0),
        `${fmt(c.okPerSecond / baseline, 2)}×`,
        fmt(c.cpuUsPerOk, 0),
        c.runs.map((r) => fmt((r.serverCpuMsPerOk ?? Number.NaN) * 1000, 0)).join(', '),
        `${fmt(deployed - c.cpuUsPerOk, 0)} µs`,
      ];
    }),
  ];
}

export function variationsSection(runs: TargetRun[], mainRuns: TargetRun[], date: string): string {
  const baseline = combined(mainRuns, BASELINE).okPerSecond;
  return `### users: where the /profile time goes (variations)

Measured ${date} on the same machine, with \`BENCH_VARIATIONS=1 pnpm --filter @platform/users bench\`
(which also wrote the section above at that time; a later plain \`pnpm bench\` rewrites only that one).
Each row is the users app started from \`apps/users/bench/variation-server.ts\` with parts of the
request path switched off; the first row switches nothing off and should match the service above.
All are warmed up, then measured in alternation like the servers above, under the same load.
_÷ baseline_ is against the baseline of the same run (${fmt(baseline, 0)} req/s); _saved_ is the server CPU
per request that the parts switched off cost. These are experiments to size a fix, not
configurations to deploy.

${markdownTable(variationRows(runs, mainRuns))}
`;
}
