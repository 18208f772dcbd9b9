import type { ConnectRouter } from '@connectrpc/connect';
import { RequestContext } from '@platform/db';
import { GrpcHealth, readTls, startGrpcServer, type GrpcServer, type ServiceAccess } from '@platform/grpc';
import { KeyRing, ServiceTokenVerifier } from '@platform/tokens';
import type { GrpcServiceConfig } from './config.js';
import type { TokenResources } from './resources.js';

/** What serving gRPC reads: the port and TLS, plus where and how long to drain. */
export type GrpcListenConfig = Pick<
  GrpcServiceConfig,
  | 'GRPC_PORT'
  | 'GRPC_TLS_CERT_FILE'
  | 'GRPC_TLS_KEY_FILE'
  | 'GRPC_TLS_CA_FILE'
  | 'GRPC_SERVICE_KEYS'
  | 'JWT_ALGORITHM'
  | 'HOST'
  | 'SHUTDOWN_GRACE_MS'
  | 'NODE_ENV'
>;

/** What a service serves over gRPC: the fully-qualified names (for health) and their handlers. */
export interface GrpcRoutes {
  services: readonly string[];
  register: (router: ConnectRouter) => void;
  /** Methods other services may call with their own identity (service tokens), by service. */
  serviceAccess?: ServiceAccess;
}

/** Service tokens for `audience` (this service), verified with each caller's configured keys. */
function serviceTokens(audience: string, config: GrpcListenConfig, access: ServiceAccess | undefined) {
  const keys = config.GRPC_SERVICE_KEYS ?? new Map();
  if (access === undefined || keys.size === 0) return undefined;
  const trusted = new Map(
    [...keys].map(([service, set]) => [service, new KeyRing(config.JWT_ALGORITHM, set)]),
  );
  return { verifier: new ServiceTokenVerifier(audience, trusted), access };
}

/**
 * A service's gRPC port from its config and resources: health reports the same readiness checks as
 * `/ready`, the token verifier and denylist are the HTTP kit's, metrics go to the same registry.
 */
export function startServiceGrpc(
  resources: TokenResources,
  config: GrpcListenConfig,
  routes: GrpcRoutes,
): Promise<GrpcServer> {
  return startGrpcServer({
    port: config.GRPC_PORT,
    host: config.HOST,
    log: resources.log,
    registry: resources.registry,
    auth: {
      tokens: resources.tokens,
      denylist: resources.denylist,
      services: serviceTokens(resources.service, config, routes.serviceAccess),
    },
    health: new GrpcHealth({ readiness: resources.readiness, services: routes.services }),
    routes: routes.register,
    tls: readTls({
      certFile: config.GRPC_TLS_CERT_FILE,
      keyFile: config.GRPC_TLS_KEY_FILE,
      caFile: config.GRPC_TLS_CA_FILE,
    }),
    graceMs: config.SHUTDOWN_GRACE_MS,
    // Reflection lets grpcurl and buf curl explore a developer's services; production serves none.
    reflection: config.NODE_ENV !== 'production',
    // As around every HTTP route: services hold the global `orm.em`, which resolves to this call's fork.
    around: [(next) => (req) => RequestContext.create(resources.orm.em, () => next(req))],
  });
}
