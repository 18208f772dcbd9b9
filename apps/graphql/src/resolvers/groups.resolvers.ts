import { toAppError } from '@platform/grpc';
import type { GroupMember } from '@platform/proto';
import { requireCaller } from '../access.js';
import type { GatewayContext } from '../context.js';
import { groupMemberView, groupView, type GroupMemberViewModel, type GroupViewModel } from '../views.js';
import { userById } from './user-field.js';

interface CreateGroupInput {
  name: string;
  memberIds?: string[] | null;
}

function memberOf({ member }: { member?: GroupMember | undefined }) {
  if (member === undefined) throw new Error('realtime answered without the member');
  return groupMemberView(member);
}

/** Removes a member (or the caller, leaving) and says who is gone. */
async function removeMember(groupId: string, userId: string, ctx: GatewayContext) {
  await ctx.backends.realtime.removeGroupMember({ groupId, userId }, ctx.callOptions());
  return { groupId, userId };
}

/**
 * Groups through realtime's gRPC service, which applies REST's rules (owners add, remove and
 * promote; the last owner stays; the member cap). Members' profiles come from the per-operation user
 * loader, so a member list costs one GetUsers however long it is.
 */
export const groupsResolvers = {
  Query: {
    group: async (_: unknown, { id }: { id: string }, ctx: GatewayContext) => {
      try {
        const { group } = await ctx.backends.realtime.getGroup({ groupId: id }, ctx.callOptions());
        return groupView(group);
      } catch (error) {
        // Like conversation(id): a group the caller is not in is simply not there for them.
        if (toAppError(error).code === 'not_found') return null;
        throw error;
      }
    },
  },
  Mutation: {
    createGroup: async (_: unknown, { input }: { input: CreateGroupInput }, ctx: GatewayContext) => {
      const { group } = await ctx.backends.realtime.createGroup(
        { name: input.name, memberIds: input.memberIds ?? [] },
        ctx.callOptions(),
      );
      return groupView(group);
    },
    addGroupMember: async (_: unknown, args: { groupId: string; userId: string }, ctx: GatewayContext) =>
      memberOf(await ctx.backends.realtime.addGroupMember(args, ctx.callOptions())),
    setGroupMemberRole: async (
      _: unknown,
      args: { groupId: string; userId: string; role: string },
      ctx: GatewayContext,
    ) => memberOf(await ctx.backends.realtime.setGroupMemberRole(args, ctx.callOptions())),
    removeGroupMember: (_: unknown, args: { groupId: string; userId: string }, ctx: GatewayContext) =>
      removeMember(args.groupId, args.userId, ctx),
    leaveGroup: (_: unknown, { groupId }: { groupId: string }, ctx: GatewayContext) =>
      removeMember(groupId, requireCaller(ctx).sub, ctx),
  },
  Group: {
    createdBy: (group: GroupViewModel, _: unknown, ctx: GatewayContext) => userById(group.createdById, ctx),
  },
  GroupMember: {
    user: (member: GroupMemberViewModel, _: unknown, ctx: GatewayContext) => userById(member.userId, ctx),
  },
};
