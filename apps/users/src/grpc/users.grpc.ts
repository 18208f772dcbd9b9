import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { ConnectRouter } from '@connectrpc/connect';
import { requirePermission } from '@platform/grpc';
import { UsersService } from '@platform/proto';
import type { UserCard, UserDirectoryService } from '../services/user-directory.service.js';

/** Thin handlers, as routes are: the caller's permission, one service call, the answer's shape. */
export function usersGrpcRoutes(directory: UserDirectoryService): (router: ConnectRouter) => void {
  return (router) =>
    router.service(UsersService, {
      getUsers: async ({ ids }, ctx) => {
        const caller = requirePermission(ctx, 'profile:read');
        return { users: (await directory.cards(caller, ids)).map(toMessage) };
      },
      getUser: async ({ id }, ctx) => {
        const caller = requirePermission(ctx, 'profile:read');
        return { user: toMessage(await directory.card(caller, id)) };
      },
    });
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
