import { Counter } from 'prom-client';
import { mediaUrlSignerOf } from '@platform/config';
import type { PublicUserSource } from '@platform/db';
import { mount, type HttpApp } from '@platform/http';
import { UsersService } from '@platform/proto';
import {
  createServiceApp,
  UserCache,
  UserChangeFeed,
  type GrpcRoutes,
  type ServiceResources,
} from '@platform/runtime';
import type { UsersConfig } from './config.js';
import { usersGrpcRoutes } from './grpc/users.grpc.js';
import { peopleRoutes } from './routes/people.routes.js';
import { profileRoutes } from './routes/profile.routes.js';
import { ProfilesService } from './services/profiles.service.js';
import { UserDirectoryService } from './services/user-directory.service.js';

export interface UsersDeps extends ServiceResources {
  config: UsersConfig;
}

/** The services both the HTTP app and the gRPC port serve from (one profile cache per process). */
export interface UsersParts extends UsersDeps {
  profiles: ProfilesService;
  directory: UserDirectoryService;
}

/**
 * How long a profile may be served from memory when no event says it changed, and how many are kept.
 * Every writer of an account raises an event that clears it on every instance at once, so the expiry
 * only bounds a change that raised none; 10 000 profiles are a few megabytes.
 */
const PROFILE_CACHE = { ttlMs: 30_000, maxEntries: 10_000 };

/** Builds the services on opened resources; the profile cache's subscription is closed with them. */
export async function composeUsers(deps: UsersDeps): Promise<UsersParts> {
  const feed = await UserChangeFeed.open({
    url: deps.config.AMQP_URL,
    namespace: deps.config.AMQP_NAMESPACE,
    service: 'users',
    log: deps.log,
  });
  deps.own(() => feed.close());
  const lookups = new Counter({
    name: 'users_profile_cache_lookups_total',
    help: 'Profile reads by how the in-process cache answered them (bypass: no live change feed).',
    labelNames: ['result'] as const,
    registers: [deps.registry],
  });
  const cache = new UserCache<PublicUserSource>(feed, {
    ...PROFILE_CACHE,
    onLookup: (result) => lookups.inc({ result }),
  });
  const mediaUrls = mediaUrlSignerOf(deps.config);
  const profiles = new ProfilesService(deps.orm.em, deps.events, cache, {
    publicWebUrl: deps.config.PUBLIC_WEB_URL,
    verificationTtlSeconds: deps.config.EMAIL_VERIFICATION_TTL_SECONDS,
    revertTtlSeconds: deps.config.EMAIL_CHANGE_REVERT_TTL_SECONDS,
    stepUpMaxAgeSeconds: deps.config.STEP_UP_MAX_AGE_SECONDS,
    mediaUrls,
  });
  return { ...deps, profiles, directory: new UserDirectoryService(deps.orm.em, mediaUrls) };
}

/** The users service: profiles, the caller's data, and other users' names and avatars. Never listens itself. */
export function createApp(parts: UsersParts): HttpApp {
  const app = createServiceApp(parts, parts.config);
  mount(app, profileRoutes({ profiles: parts.profiles }));
  mount(app, peopleRoutes({ directory: parts.directory }));
  return app;
}

/** What users serves over gRPC to the other services (UsersService). Never listens itself. */
export function createGrpcRoutes(parts: UsersParts): GrpcRoutes {
  return {
    services: [UsersService.typeName],
    // realtime reads member names and account standing with its own identity (docs/architecture.md §10).
    serviceAccess: { realtime: ['GetUsers'] },
    register: usersGrpcRoutes({ directory: parts.directory, profiles: parts.profiles }),
  };
}
