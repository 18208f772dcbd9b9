import type { GatewayContext } from '../context.js';
import { userView } from '../views.js';

/**
 * A user field (author, recipient, the other party, a member, a group's creator) through the
 * per-operation loader, so a page of them costs one GetUsers.
 */
export async function userById(id: string | null, ctx: GatewayContext) {
  if (id === null) return null;
  const user = await ctx.loaders.user.load(id);
  return user === null ? null : userView(user);
}
