import { z } from 'zod';
import {
  checkGrpcTls,
  checkJwtKeys,
  emailSealFragment,
  grpcServerFragment,
  httpServiceFragment,
  requiredInProduction,
  checkMediaUrlSecret,
  mediaUrlFragment,
} from '@platform/config';

/** Everything the admin service reads from the environment, with defaults. */
export const adminConfigSchema = z
  .object({
    ...httpServiceFragment(3003, 9103),
    ...grpcServerFragment(50053),
    /** Avatars uploaded to media are shown as signed URLs. */
    ...mediaUrlFragment,
    /** Invitations are mailed: their commands are sealed like every issuer's. */
    ...emailSealFragment,
    /** Where the web app lives: invitation links point at its reset-password page. */
    PUBLIC_WEB_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:8080'),
    /** How long an invitation's set-password link works (default 72 hours). */
    INVITE_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(300)
      .max(30 * 24 * 3600)
      .default(72 * 3600),
  })
  .superRefine(requiredInProduction('EMAIL_SEAL_KEYS'))
  .superRefine(checkJwtKeys)
  .superRefine(checkMediaUrlSecret)
  .superRefine(checkGrpcTls);

export type AdminConfig = z.infer<typeof adminConfigSchema>;
