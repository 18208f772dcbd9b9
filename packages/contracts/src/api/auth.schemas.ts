import { z } from 'zod';
import { ROLES } from '../roles.js';
import { displayNameSchema } from '../users.js';
import { isoTime, publicUserSchema, sessionViewSchema } from './common.schemas.js';

/** Request shapes of auth's routes (handlers parse with these), then the shapes of its answers. */

// Shapes only; email validity and password strength are checked by the services with their own codes.
const email = z.string().max(320);
const password = z.string().min(1).max(1024);

export const registerBody = z.strictObject({
  email,
  password,
  displayName: displayNameSchema.optional(),
  role: z.enum(ROLES).optional(),
});

// A device token of any other shape is not refused: like an unknown one, it is simply no token.
const deviceToken = z.string().min(1).max(256);

export const loginBody = z.strictObject({
  email,
  password,
  remember: z.boolean().optional(),
  deviceToken: deviceToken.optional(),
});

export const deviceParams = z.object({ id: z.uuid() });

export const tokenBody = z.strictObject({ token: z.string().min(1).max(256) });

export const refreshBody = z.strictObject({
  refreshToken: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe('Omit it to refresh with the refresh cookie (browsers; needs X-CSRF-Token)'),
});

/**
 * The browser mode of the sign-in and refresh routes (docs/api.md, "Browsers: refresh cookie"): with
 * `cookie` the refresh token is set as an httpOnly cookie instead of answered in the body.
 */
export const TOKEN_TRANSPORT_HEADER = 'X-Token-Transport';
/** Echoes the `csrf_token` cookie on a cookie refresh (double submit). */
export const CSRF_HEADER = 'X-CSRF-Token';
/** The httpOnly refresh cookie, sent only to `/token/...`. */
export const REFRESH_COOKIE = 'refresh_token';
/** The cookie scripts read to fill X-CSRF-Token; it proves nothing alone. */
export const CSRF_COOKIE = 'csrf_token';

const transportHeader = z
  .enum(['cookie', 'body'])
  .optional()
  .describe('`cookie`: the refresh token is set as an httpOnly cookie, not answered (browsers)');

/** Headers of the routes that start a session. */
export const signInHeaders = z.object({ [TOKEN_TRANSPORT_HEADER]: transportHeader });

/** Headers of POST /token/refresh. */
export const refreshHeaders = z.object({
  [TOKEN_TRANSPORT_HEADER]: transportHeader,
  [CSRF_HEADER]: z
    .string()
    .max(256)
    .optional()
    .describe('The csrf_token cookie, required when the refresh token comes from the cookie'),
});

export const sessionParams = z.object({ id: z.uuid() });

export const emailBody = z.strictObject({ email });

export const resetBody = z.strictObject({ token: z.string().min(1).max(256), password });

export const changePasswordBody = z.strictObject({ currentPassword: password, newPassword: password });

export const deactivateBody = z.strictObject({ password });

// A TOTP code's shape (six digits, nothing else) is checked by the service, which answers invalid_code.
const code = z.string().max(16);
const recoveryCode = z.string().max(64);
const challenge = z.string().min(1).max(256);

export const loginTwoFactorBody = z.union([
  z.strictObject({ challenge, code }),
  z.strictObject({ challenge, recoveryCode }),
]);

/** Step-up: the password, or a current code, or a recovery code. */
export const reauthenticateBody = z.union([
  z.strictObject({ password }),
  z.strictObject({ code }),
  z.strictObject({ recoveryCode }),
]);

export const enableTwoFactorBody = z.strictObject({ code });

export const disableTwoFactorBody = z.union([
  z.strictObject({ password, code }),
  z.strictObject({ password, recoveryCode }),
]);

// OAuth: the provider's callback carries more than these (scope, iss, authuser...), so not strict.
const queryValue = z.string().max(2048);

export const oauthStartQuery = z.object({
  returnTo: queryValue.optional(),
  link: z.enum(['1', 'true', '0', 'false']).optional(),
  remember: z.enum(['1', 'true', '0', 'false']).optional(),
  tokenTransport: z
    .enum(['cookie', 'fragment'])
    .optional()
    .describe('`cookie`: the callback sets the refresh cookie and redirects with no token in the URL'),
});

export const oauthCallbackQuery = z.object({
  code: queryValue.optional(),
  state: z.string().max(256).optional(),
  error: queryValue.optional(),
});

export const identityParams = z.object({ provider: z.string().max(64) });

export const oauthProviderListSchema = z.object({
  providers: z.array(
    z.object({
      id: z.string().describe('The `{provider}` of `/oauth/{provider}/start`'),
      name: z.string().describe('What a sign-in button says'),
    }),
  ),
});

// Answers.

export const tokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z
    .string()
    .optional()
    .describe('Absent in cookie mode (X-Token-Transport: cookie): the refresh token is an httpOnly cookie'),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().describe('Seconds until the access token expires'),
  user: publicUserSchema,
  deviceToken: z
    .string()
    .optional()
    .describe('Send it with the next POST /login: this device then has its own lockout budget'),
});

/** A fresh access token after a step-up; its `auth_time` is `authTime`. */
export const reauthenticatedSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int(),
  authTime: z.number().int().describe('When the proof was accepted, in seconds since the epoch'),
});

export const deviceTokenSchema = z.object({ deviceToken: z.string() });

export const deviceListSchema = z.object({
  devices: z.array(
    z.object({ id: z.uuid(), device: z.string().nullable(), createdAt: isoTime, lastUsedAt: isoTime }),
  ),
});

export const sessionListSchema = z.object({
  sessions: z.array(
    sessionViewSchema.extend({ expiresAt: isoTime, current: z.boolean().describe('The session asking') }),
  ),
});

export const twoFactorSetupSchema = z.object({
  secret: z.string(),
  otpauthUrl: z.string(),
  qrCode: z.string().describe('A data: URL of a PNG QR code of otpauthUrl'),
});

export const recoveryCodesSchema = z.object({
  recoveryCodes: z.array(z.string()).describe('Shown once; each works once'),
});

export const authorizeUrlSchema = z.object({ authorizeUrl: z.string() });

/** A JSON client's callback: a session, or the provider linked to the signed-in account. */
export const oauthCallbackResultSchema = z.union([tokenPairSchema, z.object({ linked: z.string() })]);

export const identityListSchema = z.object({
  identities: z.array(
    z.object({
      provider: z.string(),
      email: z.string().nullable(),
      createdAt: isoTime,
      lastLoginAt: isoTime.nullable(),
    }),
  ),
});

export const jwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string() })) });

export const discoverySchema = z.looseObject({
  issuer: z.string(),
  jwks_uri: z.string(),
  id_token_signing_alg_values_supported: z.array(z.string()),
  subject_types_supported: z.array(z.string()),
  claims_supported: z.array(z.string()),
});
