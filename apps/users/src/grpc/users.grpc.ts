import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { ConnectRouter } from '@connectrpc/connect';
import { profilePatch, type PublicUser } from '@platform/contracts';
import { originOf, parseRequest, requirePermission, viewerOf } from '@platform/grpc';
import { UsersService, type UpdateProfileRequest } from '@platform/proto';
import type { ProfilesService } from '../services/profiles.service.js';
import type { UserCard, UserDirectoryService } from '../services/user-directory.service.js';

export interface UsersGrpcDeps {
  directory: UserDirectoryService;
  profiles: ProfilesService;
}

/** Thin handlers, as routes are: the caller's permission, one service call, the answer's shape. */
export function usersGrpcRoutes({ directory, profiles }: UsersGrpcDeps): (router: ConnectRouter) => void {
  return (router) =>
    router.service(UsersService, {
      getUsers: async ({ ids }, ctx) => {
        const viewer = viewerOf(ctx, 'profile:read');
        return { users: (await directory.cards(viewer, ids)).map(toMessage) };
      },
      getUser: async ({ id }, ctx) => {
        const caller = requirePermission(ctx, 'profile:read');
        return { user: toMessage(await directory.card(caller, id)) };
      },
      getProfile: async (_req, ctx) => {
        const caller = requirePermission(ctx, 'profile:read');
        return { profile: toProfile(await profiles.get(caller.sub)) };
      },
      updateProfile: async (req, ctx) => {
        const caller = requirePermission(ctx, 'profile:write');
        // The same schema as PATCH /profile, so both doors refuse the same input the same way.
        const patch = parseRequest(profilePatch, patchOf(req));
        const audit = { service: 'users', ...originOf(ctx), actorId: caller.sub };
        return { profile: toProfile(await profiles.update(caller, patch, audit)) };
      },
    });
}

/** Proto3 optionals to REST's patch: unset stays absent, the empty string clears a nullable field. */
function patchOf(req: UpdateProfileRequest): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (req.displayName !== undefined) patch.displayName = req.displayName;
  if (req.email !== undefined) patch.email = req.email;
  if (req.avatarUrl !== undefined) patch.avatarUrl = req.avatarUrl === '' ? null : req.avatarUrl;
  if (req.status !== undefined) patch.status = req.status === '' ? null : req.status;
  return patch;
}

function toMessage(card: UserCard) {
  return {
    id: card.id,
    displayName: card.displayName,
    avatarUrl: card.avatarUrl ?? '',
    role: card.role ?? '',
    accountStatus: card.accountStatus,
    createdAt: timestampFromDate(card.createdAt),
  };
}

function toProfile(user: PublicUser) {
  return {
    ...user,
    avatarUrl: user.avatarUrl ?? '',
    status: user.status ?? '',
    createdAt: timestampFromDate(new Date(user.createdAt)),
  };
}
