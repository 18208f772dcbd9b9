import { z } from 'zod';
import { checkJwtKeys, httpServiceFragment, mailLinksFragment } from '@platform/config';

/** Everything the users service reads from the environment, with defaults. */
export const usersConfigSchema = z
  .object({ ...httpServiceFragment(3002, 9102), ...mailLinksFragment })
  .superRefine(checkJwtKeys);

export type UsersConfig = z.infer<typeof usersConfigSchema>;
