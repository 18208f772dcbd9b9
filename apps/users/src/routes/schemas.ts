import { z } from 'zod';
import { displayNameSchema as displayName, emailAddressSchema } from '@platform/contracts';

const avatarUrl = z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).max(2048);

const status = z
  .string()
  .trim()
  .max(140)
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control characters');

export const profilePatch = z
  .strictObject({
    displayName: displayName.optional(),
    /** A new address is unverified until the link mailed to it is followed. */
    email: emailAddressSchema.optional(),
    avatarUrl: avatarUrl.nullable().optional(),
    status: status.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'change at least one field' });

export type ProfilePatch = z.infer<typeof profilePatch>;
