import { z } from 'zod';
import { httpServiceFragment } from '@platform/config';

/** Everything the users service reads from the environment, with defaults. */
export const usersConfigSchema = z.object(httpServiceFragment(3002, 9102));

export type UsersConfig = z.infer<typeof usersConfigSchema>;
