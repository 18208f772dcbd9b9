import { z } from 'zod';
import { ROLES } from './roles.js';

/** Claims of an access token, as verified at every service. */
export const accessClaimsSchema = z.object({
  sub: z.uuid(),
  role: z.enum(ROLES),
  sid: z.uuid(),
  /**
   * When the user last proved who they are (sign-in or re-authentication), in seconds. Optional only
   * so tokens minted before it existed still verify; a token without it never counts as recent.
   */
  auth_time: z.number().int().optional(),
  jti: z.uuid(),
  iat: z.number().int(),
  exp: z.number().int(),
  iss: z.string().min(1),
  aud: z.union([z.string().min(1), z.array(z.string().min(1))]),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;
