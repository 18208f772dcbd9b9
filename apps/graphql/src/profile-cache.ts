import { Counter, type Registry } from 'prom-client';
import type { Profile } from '@platform/proto';
import { UserCache, type UserChangeFeed } from '@platform/runtime';

/** Callers whose profiles are kept at once; a profile is well under a kilobyte. */
const MAX_PROFILES = 10_000;

export interface ProfileCache {
  profiles: UserCache<Profile>;
  close(): Promise<void>;
}

/**
 * The caller's own profile between requests, for `me`: every screen asks for it, and each answer
 * would otherwise be a gRPC call to users, several times the CPU of REST's GET /profile for the same
 * data (docs/benchmarks.md). A profile is kept per user until an account event (on the gateway's
 * subscriber connection, `ChatFeed.userChanges`) says the user changed, on every gateway instance at once; while that feed
 * is down nothing is kept. The token is still verified and checked against the denylist on every
 * request before `me` runs, so a revoked session is refused whatever is kept. Profiles carry signed
 * avatar URLs: USERS_CACHE_TTL_MS stays under their shortest lifetime (see usersCacheFragment).
 */
export async function openProfileCache(options: {
  /** Subscribes to the account events. */
  changes: () => Promise<UserChangeFeed>;
  ttlMs: number;
  registry: Registry;
}): Promise<ProfileCache> {
  const feed = await options.changes();
  const lookups = new Counter({
    name: 'graphql_profile_cache_lookups_total',
    help: "`me` reads by how the gateway's profile cache answered them (bypass: no live change feed).",
    labelNames: ['result'] as const,
    registers: [options.registry],
  });
  const profiles = new UserCache<Profile>(feed, {
    maxEntries: MAX_PROFILES,
    ttlMs: options.ttlMs,
    onLookup: (result) => lookups.inc({ result }),
  });
  return { profiles, close: () => feed.close() };
}
