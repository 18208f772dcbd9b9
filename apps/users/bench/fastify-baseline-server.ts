// The "lean Fastify service" baseline for GET /profile: what a team would write by hand instead of
// using us, doing the same work per request as the service. Fastify 5 with its pino logger (one line
// per request, written in onResponse; Fastify's own two request lines are off), the same token check
// (AccessTokens.verify: pinned algorithm, key by kid, issuer, audience, claims), the same denylist
// lookup in Redis (Denylist.isRevoked, one MGET), a rate-limit count in Redis (INCR + PEXPIRE in one
// round trip, a fixed one-minute window), one SELECT of the user with `pg`, and the public user as
// JSON. Run as a child process by run.ts.
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import { AccessTokens, Denylist, KeyRing, parseKeySet, type SigningAlgorithm } from '@platform/tokens';

const env = process.env;
const tokens = new AccessTokens({
  keys: new KeyRing(
    (env.JWT_ALGORITHM ?? 'EdDSA') as SigningAlgorithm,
    parseKeySet(env.JWT_PUBLIC_KEYS ?? '', 'public'),
  ),
  issuer: env.JWT_ISSUER ?? '',
  audience: env.JWT_AUDIENCE ?? '',
});
const redis = new Redis(env.REDIS_URL ?? '', { keyPrefix: env.REDIS_PREFIX, enableAutoPipelining: true });
const denylist = new Denylist(redis, 900);
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });
const limitPerMinute = Number(env.RATE_LIMIT_PER_MINUTE ?? 600);

interface UserRow {
  id: string;
  email: string;
  role: string;
  display_name: string;
  avatar_url: string | null;
  status_text: string | null;
  status: string;
  email_verified_at: Date | null;
  created_at: Date;
}

const app = Fastify({ logger: { level: 'info' }, disableRequestLogging: true });
app.addHook('onResponse', (request, reply, done) => {
  request.log.info(
    { method: request.method, path: request.url, status: reply.statusCode, ms: reply.elapsedTime },
    'request',
  );
  done();
});

app.get('/health', () => ({ status: 'ok' }));

app.get('/profile', async (request, reply) => {
  let claims;
  try {
    claims = tokens.verify(request.headers.authorization?.replace(/^Bearer /, '') ?? '');
  } catch {
    return reply.code(401).send({ code: 'invalid_token' });
  }
  const window = Math.floor(Date.now() / 60_000);
  const key = `bench-limit:${claims.sub}:${window}`;
  const [revoked, counted] = await Promise.all([
    denylist.isRevoked(claims),
    redis.multi().incr(key).pexpire(key, 60_000).exec(),
  ]);
  if (revoked) return reply.code(401).send({ code: 'token_revoked' });
  if (Number(counted?.[0]?.[1] ?? 0) > limitPerMinute) return reply.code(429).send({ code: 'rate_limited' });
  const { rows } = await pool.query<UserRow>(
    `select id, email, role, display_name, avatar_url, status_text, status, email_verified_at, created_at
     from users where id = $1 and deleted_at is null`,
    [claims.sub],
  );
  const user = rows[0];
  if (!user || user.status !== 'active') return reply.code(404).send({ code: 'not_found' });
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    displayName: user.display_name,
    avatarUrl: user.avatar_url,
    status: user.status_text,
    accountStatus: user.status,
    emailVerified: user.email_verified_at !== null,
    createdAt: user.created_at.toISOString(),
  };
});

await app.listen({ port: Number(env.PORT), host: '127.0.0.1' });
process.once('SIGTERM', () => {
  void app
    .close()
    .then(() => Promise.all([pool.end(), redis.quit()]))
    .finally(() => process.exit(0));
});
