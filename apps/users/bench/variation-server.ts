// The users service with parts of the /profile path switched off, to measure what each part costs.
// An experiment, not a deployment: run as a child process by variations.ts, configured from the same
// environment as the real service, plus BENCH_OFF (a comma-separated list of the parts below).
import type { Middleware } from 'koa';
import { runHttpServer, type HttpApp } from '@platform/http';
import { openResources, UserCache, type ServiceResources } from '@platform/runtime';
import { composeUsers, createApp } from '../src/app.js';
import { usersConfigSchema } from '../src/config.js';

const off = new Set((process.env.BENCH_OFF ?? '').split(',').filter(Boolean));
const config = usersConfigSchema.parse(process.env);
const resources = await openResources('users', config);
if (off.has('cache')) readThrough();
const app = createApp(await composeUsers({ ...resources, ...replacements(), config }));
removeMiddleware(app);
await runHttpServer({
  app,
  port: config.PORT,
  host: config.HOST,
  log: resources.log,
  graceMs: config.SHUTDOWN_GRACE_MS,
  onClose: () => resources.close(),
});

/** `events`: no AMQP publish per request (the request log). */
function replacements(): Partial<ServiceResources> {
  return off.has('events') ? { shipRequestLog: () => undefined } : {};
}

/** `cache`: every profile read goes to PostgreSQL (one SELECT), as if the profile cache were not there. */
function readThrough(): void {
  UserCache.prototype.get = (_userId: string, load: () => Promise<unknown>) => load() as Promise<never>;
}

/** `ratelimit`: the global Redis limiter (a Lua script per request) is dropped from the chain. */
function removeMiddleware(target: HttpApp): void {
  if (!off.has('ratelimit')) return;
  const isLimiter = (m: Middleware) => m.toString().includes('RateLimit-Policy');
  const before = target.middleware.length;
  target.middleware = target.middleware.filter((m) => !isLimiter(m));
  // If the kit's middleware changes shape, say so instead of silently measuring the wrong thing.
  if (before - target.middleware.length !== 1) throw new Error('the global rate limiter was not found');
}
