import { z } from 'zod';
import { httpServiceFragment } from '@platform/config';

/** Everything the admin service reads from the environment, with defaults. */
export const adminConfigSchema = z.object(httpServiceFragment(3003, 9103));

export type AdminConfig = z.infer<typeof adminConfigSchema>;
