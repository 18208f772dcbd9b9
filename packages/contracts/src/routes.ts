/**
 * The public path table: which service answers which edge path. The local edge and the Kubernetes
 * Ingress are both generated from (or tested against) this one list.
 */
export const SERVICES = ['auth', 'users', 'admin', 'realtime', 'media', 'graphql'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface EdgeRoute {
  /** Path prefix; matches the path itself and anything below it (`/admin` matches `/admin/users`). */
  readonly prefix: string;
  readonly service: ServiceName;
  readonly websocket?: boolean;
}

export const EDGE_ROUTES: readonly EdgeRoute[] = [
  { prefix: '/register', service: 'auth' },
  { prefix: '/login', service: 'auth' },
  { prefix: '/logout', service: 'auth' },
  { prefix: '/token', service: 'auth' },
  { prefix: '/sessions', service: 'auth' },
  { prefix: '/password', service: 'auth' },
  { prefix: '/email', service: 'auth' },
  { prefix: '/account', service: 'auth' },
  { prefix: '/2fa', service: 'auth' },
  { prefix: '/oauth', service: 'auth' },
  // The public keys that verify access tokens, and the discovery document pointing at them.
  { prefix: '/.well-known', service: 'auth' },
  // The OpenAPI document and its reference page, beside the other documents auth publishes.
  { prefix: '/openapi.json', service: 'auth' },
  { prefix: '/docs', service: 'auth' },
  { prefix: '/profile', service: 'users' },
  { prefix: '/user-data', service: 'users' },
  { prefix: '/people', service: 'users' },
  { prefix: '/notifications', service: 'realtime' },
  { prefix: '/chat', service: 'realtime' },
  { prefix: '/admin', service: 'admin' },
  { prefix: '/ws', service: 'realtime', websocket: true },
  { prefix: '/media', service: 'media' },
  // Queries and mutations over HTTP; subscriptions over WebSocket (the graphql-ws protocol).
  { prefix: '/graphql', service: 'graphql', websocket: true },
];

/** The service that owns `path`, or undefined. Matches whole segments only (`/admins` is not `/admin`). */
export function routeFor(path: string): EdgeRoute | undefined {
  const pathname = path.split('?', 1)[0] ?? path;
  return EDGE_ROUTES.find((r) => pathname === r.prefix || pathname.startsWith(`${r.prefix}/`));
}
