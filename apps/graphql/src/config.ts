import { z } from 'zod';
import {
  amqpFragment,
  baseFragment,
  checkGrpcTls,
  checkJwtKeys,
  grpcTlsFragment,
  httpFragment,
  jwtVerifyFragment,
  positiveInt,
  redisFragment,
  usersCacheFragment,
} from '@platform/config';

const grpcUrl = (port: number) => z.url({ protocol: /^https?$/ }).default(`http://127.0.0.1:${port}`);

/**
 * Everything the GraphQL gateway reads. It owns no data (no database): tokens and the denylist come
 * from Redis as in every service, answers from the owning services over gRPC, events from the broker.
 */
export const graphqlConfigSchema = z
  .object({
    ...baseFragment,
    ...httpFragment(3009, 9109),
    ...redisFragment,
    ...amqpFragment,
    ...jwtVerifyFragment,
    /** The owning services' gRPC ports (`https://` for TLS, with the GRPC_TLS_* files). */
    USERS_GRPC_URL: grpcUrl(50052),
    ADMIN_GRPC_URL: grpcUrl(50053),
    REALTIME_GRPC_URL: grpcUrl(50054),
    /** Every backend call's deadline (its retries included). */
    GRPC_TIMEOUT_MS: positiveInt(3_000),
    /** The caller's own profile (`me`), kept until an account event says it changed (0: ask every time). */
    ...usersCacheFragment,
    /** CA that verifies the services; cert and key the gateway presents when they require mTLS. */
    ...grpcTlsFragment,
    /** Deepest field nesting a query may have (the operation's own fields are depth 1). */
    GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(8),
    /** Most a query may cost: one per field, times the page size of each list it sits in. */
    GRAPHQL_MAX_COST: positiveInt(5_000),
  })
  .superRefine(checkJwtKeys)
  .superRefine(checkGrpcTls);

export type GraphqlConfig = z.infer<typeof graphqlConfigSchema>;

/** Introspection and the GraphiQL page: for developers, never in production. */
export function introspectionEnabled(config: Pick<GraphqlConfig, 'NODE_ENV'>): boolean {
  return config.NODE_ENV !== 'production';
}
