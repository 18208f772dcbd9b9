import { z } from 'zod';
import { ROLES } from './roles.js';

/** Claims of an access token, as verified at every service. */
export const accessClaimsSchema = z.object({
  sub: z.uuid(),
  role: z.enum(ROLES),
  sid: z.uuid(),
  jti: z.uuid(),
  iat: z.number().int(),
  exp: z.number().int(),
  iss: z.string().min(1),
  aud: z.union([z.string().min(1), z.array(z.string().min(1))]),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;
