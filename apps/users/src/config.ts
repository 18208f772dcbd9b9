import { z } from 'zod';
import {
  checkGrpcTls,
  checkJwtKeys,
  grpcServerFragment,
  httpServiceFragment,
  mailLinksFragment,
  positiveInt,
  requiredInProduction,
  stepUpFragment,
  checkMediaUrlSecret,
  mediaUrlFragment,
} from '@platform/config';

/** Everything the users service reads from the environment, with defaults. */
export const usersConfigSchema = z
  .object({
    ...httpServiceFragment(3002, 9102),
    ...mailLinksFragment,
    ...stepUpFragment,
    /** Avatars uploaded to media are shown as signed URLs. */
    ...mediaUrlFragment,
    ...grpcServerFragment(50052),
    /** How long the link mailed to the old address can undo an email change. */
    EMAIL_CHANGE_REVERT_TTL_SECONDS: positiveInt(7 * 24 * 3600),
  })
  .superRefine(requiredInProduction('EMAIL_SEAL_KEYS'))
  .superRefine(checkJwtKeys)
  .superRefine(checkMediaUrlSecret)
  .superRefine(checkGrpcTls);

export type UsersConfig = z.infer<typeof usersConfigSchema>;
