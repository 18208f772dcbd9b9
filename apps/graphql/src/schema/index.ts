import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { createSchema } from 'graphql-yoga';
import { authorize } from '../access.js';
import type { GatewayContext } from '../context.js';
import { auditResolvers } from '../resolvers/audit.resolvers.js';
import { chatResolvers } from '../resolvers/chat.resolvers.js';
import { groupsResolvers } from '../resolvers/groups.resolvers.js';
import { scalarResolvers } from '../resolvers/scalars.resolvers.js';
import { subscriptionResolvers } from '../resolvers/subscriptions.resolvers.js';
import { usersResolvers } from '../resolvers/users.resolvers.js';
import { auditTypeDefs } from './audit.graphql.js';
import { chatTypeDefs } from './chat.graphql.js';
import { commonTypeDefs } from './common.graphql.js';
import { groupsTypeDefs } from './groups.graphql.js';
import { subscriptionTypeDefs } from './subscriptions.graphql.js';
import { usersTypeDefs } from './users.graphql.js';

type ResolverMap = object;
type RootResolver = (parent: unknown, args: unknown, ctx: GatewayContext, info: unknown) => unknown;

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

type SubscriptionField = { subscribe: RootResolver; resolve?: unknown };

/** Every root field behind `authorize` (access.ts), so the RBAC table is consulted before any call. */
function guarded(resolvers: Record<string, ResolverMap>): Record<string, ResolverMap> {
  return Object.fromEntries(
    Object.entries(resolvers).map(([type, fields]) => {
      if (!ROOTS.has(type)) return [type, fields];
      const wrapped = Object.entries(fields as Record<string, unknown>).map(([field, resolver]) => {
        const guard =
          (inner: RootResolver): RootResolver =>
          (parent, args, ctx, info) => {
            authorize(ctx, `${type}.${field}`);
            return inner(parent, args, ctx, info);
          };
        if (type !== 'Subscription') return [field, guard(resolver as RootResolver)];
        const subscription = resolver as SubscriptionField;
        return [field, { ...subscription, subscribe: guard(subscription.subscribe) }];
      });
      return [type, Object.fromEntries(wrapped)];
    }),
  );
}

function merge(...maps: Record<string, ResolverMap>[]): Record<string, ResolverMap> {
  const merged: Record<string, ResolverMap> = {};
  for (const map of maps)
    for (const [type, fields] of Object.entries(map)) merged[type] = { ...merged[type], ...fields };
  return merged;
}

/** The gateway's schema: type definitions per area, resolvers that ask the owning services. */
export function buildSchema(): GraphQLSchema {
  return createSchema<GatewayContext>({
    typeDefs: [
      commonTypeDefs,
      usersTypeDefs,
      auditTypeDefs,
      chatTypeDefs,
      groupsTypeDefs,
      subscriptionTypeDefs,
    ],
    resolvers: guarded(
      merge(
        scalarResolvers,
        usersResolvers,
        auditResolvers,
        chatResolvers,
        groupsResolvers,
        subscriptionResolvers,
      ),
    ),
  });
}

/** The SDL as committed in apps/graphql/schema.graphql (sorted, so the file diffs cleanly). */
export function printSdl(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
