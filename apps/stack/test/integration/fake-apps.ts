import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** How a fake service behaves: healthy, dies after its first 200 on /ready, or never gets ready. */
export type Behaviour = 'healthy' | 'crash-after-ready' | 'never-ready';

/** A stand-in for a built service: answers /ready, echoes what it was given, drains on SIGTERM. */
function fakeService(name: string, behaviour: Behaviour): string {
  return `
const http = require('node:http');
const env = process.env;
const log = (msg) => console.log(JSON.stringify({ level: 30, service: ${JSON.stringify(name)}, msg }));
let warm = false;
setTimeout(() => (warm = true), 200);
const server = http.createServer((req, res) => {
  if (req.url === '/ready') {
    const ok = warm && ${JSON.stringify(behaviour)} !== 'never-ready';
    res.writeHead(ok ? 200 : 503).end();
    if (ok && ${JSON.stringify(behaviour)} === 'crash-after-ready') setTimeout(() => process.exit(3), 300);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({
    service: ${JSON.stringify(name)},
    cwd: process.cwd(),
    forwardedFor: req.headers['x-forwarded-for'],
    env: {
      HOST: env.HOST, TRUST_PROXY_HOPS: env.TRUST_PROXY_HOPS, NODE_ENV: env.NODE_ENV, LOG_LEVEL: env.LOG_LEVEL,
      DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL, AMQP_URL: env.AMQP_URL,
      HAS_PRIVATE_KEYS: Boolean(env.JWT_PRIVATE_KEYS), HAS_PUBLIC_KEYS: Boolean(env.JWT_PUBLIC_KEYS),
      JWT_ISSUER: env.JWT_ISSUER, INHERITED: env.STACK_TEST_INHERITED,
      SMTP_HOST: env.SMTP_HOST, SMTP_PORT: env.SMTP_PORT, SMTP_SECURE: env.SMTP_SECURE,
    },
  }));
});
const metrics = http.createServer((req, res) => res.end('# fake metrics\\n'));
server.listen(Number(env.PORT), env.HOST, () => log('listening'));
metrics.listen(Number(env.METRICS_PORT), env.HOST);
process.on('SIGTERM', () => {
  log('draining');
  server.close();
  metrics.close();
  setTimeout(() => process.exit(0), 20);
});
`;
}

/** Writes `<tmp>/<dir>/dist/index.js` for each entry and returns the temporary apps folder. */
export function writeFakeApps(apps: Record<string, { name: string; behaviour: Behaviour }>): string {
  const appsDir = mkdtempSync(path.join(os.tmpdir(), 'stack-apps-'));
  for (const [dir, { name, behaviour }] of Object.entries(apps)) {
    mkdirSync(path.join(appsDir, dir, 'dist'), { recursive: true });
    writeFileSync(path.join(appsDir, dir, 'dist', 'index.js'), fakeService(name, behaviour));
  }
  return appsDir;
}

/** `count` distinct loopback ports that were free a moment ago. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => net.createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve) =>
          server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            resolve(typeof address === 'object' && address !== null ? address.port : 0);
          }),
        ),
    ),
  );
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
