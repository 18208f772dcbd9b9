import type { ServiceName } from '../routes.js';
import { AUTH_SECURITY_ROUTES } from './account-security.routes.js';
import { ADMIN_ROUTES } from './admin.routes.js';
import { AUTH_ACCOUNT_ROUTES, AUTH_PUBLIC_ROUTES } from './auth.routes.js';
import { MEDIA_ROUTES } from './media.routes.js';
import { REALTIME_MODERATION_ROUTES } from './moderation.routes.js';
import { OAUTH_ROUTES } from './oauth.routes.js';
import { REALTIME_ROUTES } from './realtime.routes.js';
import { REFERENCE_ROUTES } from './reference.routes.js';
import { byOperationId, type RouteContract } from './route-contract.js';
import { USERS_ROUTES } from './users.routes.js';

const ALL_ROUTES = [
  ...AUTH_PUBLIC_ROUTES,
  ...AUTH_ACCOUNT_ROUTES,
  ...AUTH_SECURITY_ROUTES,
  ...OAUTH_ROUTES,
  ...REFERENCE_ROUTES,
  ...USERS_ROUTES,
  ...ADMIN_ROUTES,
  ...REALTIME_ROUTES,
  ...REALTIME_MODERATION_ROUTES,
  ...MEDIA_ROUTES,
] as const;

/** Every public REST route of every service: the one list the OpenAPI document is built from. */
export const API_ROUTES: readonly RouteContract[] = ALL_ROUTES;

/**
 * The same routes by operation id, each with the literal types of its contract: what a typed client
 * (`@platform/client`) derives its calls, inputs and answers from.
 */
export const API_OPERATIONS = byOperationId(ALL_ROUTES);

/** The routes one service must register, and only those. */
export function routesOf(service: ServiceName): RouteContract[] {
  return API_ROUTES.filter((r) => r.service === service);
}
