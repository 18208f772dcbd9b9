import { createOrm } from '@platform/db';
import { seedUser } from '@platform/testkit';
import { AccessTokens } from '@platform/tokens';
import { usersConfigSchema } from '../src/config.js';
import { isolatedEnvironment } from './lib/backing.js';
import { tsxImport } from './lib/child.js';
import { freePort } from './lib/ports.js';
import { benchServer } from './bench-server.js';
import { newestProfile, summarizeProfile } from './lib/cpu-profile.js';
import { textTable } from './lib/report.js';

const appDir = '/work/main/apps/users';
const environment = await isolatedEnvironment();
try {
  const env: Record<string, string> = { ...environment.env, NODE_ENV: 'production', LOG_LEVEL: process.env.LL ?? 'info', DATABASE_POOL_MAX: '10', METRICS_PORT: String(await freePort()), RATE_LIMIT_PER_MINUTE: '1000000000' };
  const config = usersConfigSchema.parse({ ...env, PORT: '1' });
  const orm = await createOrm({ url: config.DATABASE_URL, poolMax: 1 });
  const tokens = new AccessTokens({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  const token = (await seedUser({ orm, tokens })).accessToken;
  await orm.close(true);
  const kinds = (process.env.KINDS ?? 'dist,src,dist,src').split(',');
  for (const kind of kinds) {
    const port = await freePort();
    const [k, off = ''] = kind.split(':');
    const prof = process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROF] : [];
    const args = k === 'dist' ? [...prof, 'dist/index.js'] : [...prof, '--import', tsxImport(), 'bench/variation-server.ts'];
    const t0 = Date.now();
    const r = await benchServer(kind, { name: 'x', args, cwd: appDir, env: { ...env, PORT: String(port), BENCH_OFF: off.replace(/\+/g, ',') }, readyUrl: `http://127.0.0.1:${port}/ready` }, `http://127.0.0.1:${port}/profile`, token, { connections: Number(process.env.CONN ?? 32), warmupSeconds: 3, measureSeconds: Number(process.env.SECS ?? 8) });
    console.log('total ms', Date.now() - t0);
    console.log(kind.padEnd(40), r.okPerSecond.toFixed(0).padStart(6), 'rps', ((r.serverCpuMsPerOk ?? 0) * 1000).toFixed(0).padStart(6), 'us/req', 'cores', r.serverCores?.toFixed(2), 'busy', r.machineBusy?.toFixed(2), 'steal', r.machineSteal?.toFixed(2), 'p50', r.p50Ms.toFixed(1));
    if (process.env.PROF) { const f = newestProfile(process.env.PROF)!; const sm = summarizeProfile(f, r.startedAt - r.childStartedAt, r.finishedAt - r.childStartedAt, Number(process.env.TOP ?? 40)); for (const t of [sm.byOwner, sm.bySelf, sm.byTotal]) console.log(textTable(t)); console.log(f); }
  }
} finally {
  await environment.close();
}
