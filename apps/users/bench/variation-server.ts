// The users service with parts of the /profile path switched off, to measure what each part costs.
// An experiment, not a deployment: run as a child process by variations.ts, configured from the same
// environment as the real service, plus BENCH_OFF (a comma-separated list of the parts below).
import type { Middleware } from 'koa';
import { runHttpServer, type HttpApp } from '@platform/http';
import { openResources, type ServiceResources } from '@platform/runtime';
import type { Denylist } from '@platform/tokens';
import { createApp } from '../src/app.js';
import { usersConfigSchema } from '../src/config.js';
import { ProfilesService } from '../src/services/profiles.service.js';

type PublicUser = Awaited<ReturnType<ProfilesService['get']>>;
interface UserRow {
  id: string;
  email: string;
  role: PublicUser['role'];
  status: PublicUser['accountStatus'];
  display_name: string;
  avatar_url: string | null;
  status_text: string | null;
  email_verified_at: Date | null;
  created_at: Date | string;
}

const off = new Set((process.env.BENCH_OFF ?? '').split(',').filter(Boolean));
const config = usersConfigSchema.parse(process.env);
const resources = await openResources('users', config);
if (off.has('database')) cacheProfiles();
if (off.has('orm')) readWithOneStatement(resources);
const app = createApp({ ...resources, ...replacements(resources), config });
removeMiddleware(app);
await runHttpServer({
  app,
  port: config.PORT,
  host: config.HOST,
  log: resources.log,
  graceMs: config.SHUTDOWN_GRACE_MS,
  onClose: () => resources.close(),
});

/** `events`: no AMQP publish per request (the request log); `denylist`: no Redis MGET per request. */
function replacements(r: ServiceResources): Partial<ServiceResources> {
  const parts: Partial<ServiceResources> = {};
  if (off.has('events')) parts.shipRequestLog = () => undefined;
  if (off.has('denylist')) {
    const never: Pick<Denylist, 'isRevoked'> = { isRevoked: async () => false };
    parts.denylist = Object.assign(Object.create(r.denylist) as Denylist, never);
  }
  return parts;
}

/** `database`: each user's profile is read once, then served from memory (an in-process cache). */
function cacheProfiles(): void {
  const read = ProfilesService.prototype.get;
  const cache = new Map<string, PublicUser>();
  ProfilesService.prototype.get = async function (this: ProfilesService, userId: string) {
    const hit = cache.get(userId) ?? (await read.call(this, userId));
    cache.set(userId, hit);
    return hit;
  };
}

/** `orm`: the user is read with one hand-written SQL statement instead of MikroORM's findOne. */
function readWithOneStatement(r: ServiceResources): void {
  const sql =
    'select id, email, role, status, display_name, avatar_url, status_text, email_verified_at, created_at' +
    ' from users where id = ? and deleted_at is null';
  ProfilesService.prototype.get = async (userId: string) => {
    const row = await r.orm.em.getConnection().execute<UserRow>(sql, [userId], 'get');
    if (!row) throw new Error('seeded user not found');
    return {
      id: row.id,
      email: row.email,
      role: row.role,
      displayName: row.display_name,
      avatarUrl: row.avatar_url,
      status: row.status_text,
      accountStatus: row.status,
      emailVerified: row.email_verified_at !== null,
      createdAt: new Date(row.created_at).toISOString(),
    };
  };
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
