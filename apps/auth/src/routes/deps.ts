import type { Middleware } from 'koa';
import type { BaseState } from '@platform/http';
import type { AuthServices } from '../services/index.js';
import type { TokenCookieSettings } from './token-cookies.js';

export interface AuthLimits {
  /** Per client IP, on every public route that costs a hash, a mail or a lookup. */
  perIp: Middleware<BaseState>;
  /** Per identifier (the normalised email), on routes that name one. */
  perIdentifier: Middleware<BaseState>;
}

/** What every auth route module is built from. */
export interface AuthRoutesDeps {
  services: AuthServices;
  limits: AuthLimits;
  /** How recent a sign-in the sensitive routes need (STEP_UP_MAX_AGE_SECONDS). */
  stepUpMaxAgeSeconds: number;
  /** Cookie mode of the sign-in and refresh routes (browsers). */
  tokenCookies: TokenCookieSettings;
}
