import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { ConnectRouter } from '@connectrpc/connect';
import { Errors, sessionParams } from '@platform/contracts';
import { originOf, parseRequest, requirePermission, requireService } from '@platform/grpc';
import { AuthService } from '@platform/proto';
import { TokenError, type AccessTokens, type Denylist } from '@platform/tokens';
import type { SessionsService } from '../services/sessions.service.js';

export interface AuthGrpcDeps {
  sessions: SessionsService;
  tokens: AccessTokens;
  denylist: Denylist;
}

type SessionView = Awaited<ReturnType<SessionsService['list']>>[number];

/** Thin handlers, as routes are: the caller's permission, one service call, the answer's shape. */
export function authGrpcRoutes({
  sessions,
  tokens,
  denylist,
}: AuthGrpcDeps): (router: ConnectRouter) => void {
  return (router) =>
    router.service(AuthService, {
      getSession: async (_req, ctx) => {
        const caller = requirePermission(ctx, 'sessions:manage');
        const current = (await sessions.list(caller.sub, caller.sid)).find((session) => session.current);
        if (current === undefined) throw Errors.notFound('No such session.');
        return { session: toMessage(current) };
      },
      listSessions: async (_req, ctx) => {
        const caller = requirePermission(ctx, 'sessions:manage');
        return { sessions: (await sessions.list(caller.sub, caller.sid)).map(toMessage) };
      },
      revokeSession: async (req, ctx) => {
        const caller = requirePermission(ctx, 'sessions:manage');
        // REST's schema for DELETE /sessions/{id}, so both doors refuse a malformed id alike.
        const { id } = parseRequest(sessionParams, { id: req.id });
        const audit = { service: 'auth', ...originOf(ctx), actorId: caller.sub };
        await sessions.revokeOwn(caller.sub, id, audit);
        return {};
      },
      // Services only (those GrpcRoutes.serviceAccess grants it): a user has no business checking tokens.
      verifyToken: async ({ token }, ctx) => {
        requireService(ctx);
        try {
          const claims = tokens.verify(token);
          if (await denylist.isRevoked(claims)) return { active: false, reason: 'token_revoked' };
          return {
            active: true,
            userId: claims.sub,
            role: claims.role,
            sessionId: claims.sid,
            expiresAt: timestampFromDate(new Date(claims.exp * 1000)),
          };
        } catch (error) {
          if (error instanceof TokenError) return { active: false, reason: error.code };
          throw error;
        }
      },
    });
}

function toMessage(session: SessionView) {
  return {
    id: session.id,
    device: session.device ?? '',
    ip: session.ip ?? '',
    createdAt: timestampFromDate(new Date(session.createdAt)),
    lastUsedAt: timestampFromDate(new Date(session.lastUsedAt)),
    expiresAt: timestampFromDate(new Date(session.expiresAt)),
    current: session.current,
  };
}
