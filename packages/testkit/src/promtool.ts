import { spawn } from 'node:child_process';

/** What `checkMetrics` runs; Debian and Ubuntu ship it in the `prometheus` package. */
const PROMTOOL = 'promtool';

/**
 * Findings about prom-client's own default metrics (`collectDefaultMetrics`), which we cannot rename:
 * these three gauges carry `_total` in prom-client and the common Node.js dashboards query them by that
 * name. Only these exact lines are forgiven; every finding about a metric we define still fails.
 */
const PROM_CLIENT_FINDINGS: ReadonlySet<string> = new Set(
  ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'].map(
    (name) => `${name} non-counter metrics should not have "_total" suffix`,
  ),
);

/** promtool's exit code for lint problems only (1 is a parse or I/O error). */
const LINT_PROBLEMS_EXIT = 3;

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/**
 * Lints a Prometheus text exposition with `promtool check metrics`: parse errors and lint problems
 * (missing HELP, a counter without `_total`, non-base units, ...) all throw with promtool's report, so
 * a metric that Prometheus or a dashboard convention would trip over fails the test that exposes it.
 */
export async function checkMetrics(text: string): Promise<void> {
  const result = await runPromtool(text);
  const findings = result.output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !PROM_CLIENT_FINDINGS.has(line));
  // Any printed finding counts, whatever the exit code: versions differ in which findings change it.
  // Exit 3 with nothing left after the forgiven lines passes; a parse error (1) never does.
  const linted = result.code === 0 || result.code === LINT_PROBLEMS_EXIT;
  if (linted && findings.length === 0) return;
  const report = findings.length > 0 ? findings.join('\n') : result.output.trim();
  const how = result.signal ? `was killed by ${result.signal}` : `exited with ${String(result.code)}`;
  throw new Error(`promtool check metrics ${how}:\n${report || '(no output)'}`);
}

function runPromtool(input: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(
              `${PROMTOOL} is not installed (or not on PATH); install it, e.g. ` +
                '`apt-get install --no-install-recommends prometheus` on Debian, or the promtool binary ' +
                'from a Prometheus release',
            )
          : error,
      );
    });
    child.once('close', (code, signal) =>
      resolve({ code, signal, output: Buffer.concat(chunks).toString('utf8') }),
    );
    // promtool may exit before reading everything (a parse error); the close event still reports it.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
