import { AppError, can, Errors, type AccessClaims, type Permission } from '@platform/contracts';
import { TokenError, toTokenError } from '@platform/tokens';
import type { Identity } from './context.js';

/** A permission of REST's matrix, or any signed-in caller. */
export type Access = Permission | 'signed-in';

/**
 * RBAC in one place: the permission each root field needs, from REST's matrix in contracts. Every
 * root field must be listed (a test holds the schema to it), so none is public by omission; the
 * owning service checks the same permission again behind the call.
 */
export const FIELD_ACCESS: Readonly<Record<string, Access>> = {
  'Query.me': 'profile:read',
  // Chat is every signed-in user's; membership and authorship are realtime's rules, checked there.
  'Query.conversations': 'signed-in',
  'Query.conversation': 'signed-in',
  'Query.searchMessages': 'signed-in',
  'Query.notifications': 'signed-in',
  'Mutation.sendMessage': 'signed-in',
  'Mutation.editMessage': 'signed-in',
  'Mutation.react': 'signed-in',
  'Mutation.markRead': 'signed-in',
  // Groups as REST's /chat/groups: any signed-in user; owners' rights are realtime's rules.
  'Query.group': 'signed-in',
  'Mutation.createGroup': 'signed-in',
  'Mutation.addGroupMember': 'signed-in',
  'Mutation.setGroupMemberRole': 'signed-in',
  'Mutation.removeGroupMember': 'signed-in',
  'Mutation.leaveGroup': 'signed-in',
  'Subscription.messageAdded': 'signed-in',
  'Subscription.typing': 'signed-in',
  'Subscription.receipts': 'signed-in',
  'Subscription.presence': 'signed-in',
  'Subscription.notificationAdded': 'signed-in',
  'Query.user': 'profile:read',
  'Query.users': 'users:read',
  'Query.auditLogs': 'audit:read',
  'Mutation.updateProfile': 'profile:write',
};

/** The caller, or the same refusal REST gives (`unauthorized`, `token_expired`, `token_revoked`...). */
export function requireCaller(identity: Identity): AccessClaims {
  if (identity.caller !== undefined) return identity.caller;
  const cause = identity.tokenError;
  if (cause === undefined) throw Errors.unauthorized('unauthorized', 'A bearer token is required.');
  if (cause instanceof TokenError) {
    const refused = toTokenError(cause);
    throw new AppError(refused.code, refused.message);
  }
  // Not the token's fault: the denylist (Redis) could not be asked.
  throw Errors.unavailable('Sign-in checks are unavailable; try again shortly.');
}

/** The caller when their role holds the permission `field` needs; else `forbidden`. */
export function authorize(identity: Identity, field: string): AccessClaims {
  const permission = FIELD_ACCESS[field];
  // A field missing from the table is a programming error: refuse rather than serve it.
  if (permission === undefined) throw Errors.forbidden();
  const caller = requireCaller(identity);
  if (permission !== 'signed-in' && !can(caller.role, permission)) throw Errors.forbidden();
  return caller;
}
