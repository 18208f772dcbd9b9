import type { UpdateProfileRequest } from '@platform/proto';
import { requireCaller } from '../access.js';
import type { GatewayContext } from '../context.js';
import { offsetAfter, offsetCursor, pageSize } from '../paging.js';
import { directoryUserView, profileView, userView } from '../views.js';

interface UserFilter {
  query?: string | null;
  role?: string | null;
  accountStatus?: string | null;
  deleted?: boolean | null;
}

type ProfileInput = Partial<Record<'displayName' | 'email' | 'avatarUrl' | 'status', string | null>>;

/** GraphQL's "null clears" to the proto's "empty string clears"; absent fields stay unset. */
function updateRequestOf(input: ProfileInput): Partial<UpdateProfileRequest> {
  const request: Partial<UpdateProfileRequest> = {};
  for (const key of ['displayName', 'email', 'avatarUrl', 'status'] as const) {
    const value = input[key];
    if (value !== undefined) request[key] = value ?? '';
  }
  return request;
}

/** Profiles (users' gRPC) and the directory (admin's gRPC, audited there as REST's reads are). */
export const usersResolvers = {
  Query: {
    me: async (_: unknown, _args: unknown, ctx: GatewayContext) => {
      const caller = requireCaller(ctx);
      const profile = await ctx.profiles.get(
        caller.sub,
        async () => (await ctx.backends.users.getProfile({}, ctx.callOptions())).profile ?? null,
      );
      return profileView(profile ?? undefined);
    },
    user: async (_: unknown, { id }: { id: string }, ctx: GatewayContext) => {
      const user = await ctx.loaders.user.load(id);
      return user === null ? null : userView(user);
    },
    users: async (
      _: unknown,
      args: { filter?: UserFilter | null; first?: number | null; after?: string | null },
      ctx: GatewayContext,
    ) => {
      const size = pageSize(args.first, 20);
      const offset = offsetAfter(args.after);
      const filter = args.filter ?? {};
      const page = await ctx.backends.admin.listUsers(
        {
          query: filter.query ?? '',
          role: filter.role ?? '',
          accountStatus: filter.accountStatus ?? '',
          deleted: filter.deleted ?? false,
          pageSize: size,
          offset,
        },
        ctx.callOptions(),
      );
      const edges = page.users.map((user, index) => ({
        cursor: offsetCursor(offset + index),
        node: directoryUserView(user),
      }));
      return {
        edges,
        totalCount: page.total,
        pageInfo: {
          hasNextPage: offset + edges.length < page.total,
          hasPreviousPage: offset > 0,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  },
  Mutation: {
    updateProfile: async (_: unknown, { input }: { input: ProfileInput }, ctx: GatewayContext) => {
      const { profile } = await ctx.backends.users.updateProfile(updateRequestOf(input), ctx.callOptions());
      // The account event clears it too; this caller sees their change on their next read already.
      ctx.profiles.forget(requireCaller(ctx).sub);
      return profileView(profile);
    },
  },
};
