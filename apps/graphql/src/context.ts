import type { AccessClaims } from '@platform/contracts';
import { asCaller, originHeaders, type RequestOrigin } from '@platform/grpc';
import type { Logger } from '@platform/observability';
import type { Backends } from './backends.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { ProfileCache } from './profile-cache.js';
import type { ChatFeed } from './subscriptions/chat-feed.js';

/** Who is asking, as the HTTP kit's `identify` (or the socket's connection_init) found out. */
export interface Identity {
  /** Verified, unrevoked claims; absent when no token came or it was refused. */
  caller?: AccessClaims | undefined;
  /** The raw token, forwarded to the owning services, which check it again. */
  token?: string | undefined;
  /** Why a presented token was refused (a TokenError, or the denylist's own failure). */
  tokenError?: unknown;
}

/** What every resolver gets: the identity, the backends, per-operation loaders. */
export interface GatewayContext extends Identity {
  log: Logger;
  origin: RequestOrigin;
  backends: Backends;
  /** The socket tier's fanout, for subscriptions. */
  feed: ChatFeed;
  /** Callers' own profiles across requests, cleared by account events (openProfileCache). */
  profiles: ProfileCache['profiles'];
  loaders: Loaders;
  /** Options for a backend call on the caller's behalf: their token and where the request came from. */
  callOptions(): { headers: Record<string, string> };
}

/**
 * One operation's context; loaders live exactly as long as it, so nothing they load is shared across
 * callers (the profile cache keeps each caller's own profile for that caller only).
 */
export function createContext(
  identity: Identity,
  deps: {
    log: Logger;
    origin: RequestOrigin;
    backends: Backends;
    feed: ChatFeed;
    profiles: ProfileCache['profiles'];
  },
): GatewayContext {
  const callOptions = () => {
    const auth = identity.token === undefined ? { headers: {} } : asCaller(identity.token);
    return { headers: { ...auth.headers, ...originHeaders(deps.origin) } };
  };
  return {
    ...identity,
    ...deps,
    callOptions,
    loaders: createLoaders(deps.backends, callOptions),
  };
}
