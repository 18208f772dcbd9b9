import { z } from 'zod';
import { displayNameSchema, ROLES } from '@platform/contracts';

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

export const refreshBody = z.strictObject({ refreshToken: z.string().min(1).max(256) });

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
});

export const oauthCallbackQuery = z.object({
  code: queryValue.optional(),
  state: z.string().max(256).optional(),
  error: queryValue.optional(),
});

export const identityParams = z.object({ provider: z.string().max(64) });
