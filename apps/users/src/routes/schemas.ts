import { z } from 'zod';

// Letters, marks, numbers, spaces and common name punctuation; no control or invisible characters.
const displayName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(
    /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .,'’()_-]*$/u,
    "use letters, numbers, spaces and . , ' ( ) _ - only",
  );

const avatarUrl = z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).max(2048);

const status = z
  .string()
  .trim()
  .max(140)
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control characters');

export const profilePatch = z
  .strictObject({
    displayName: displayName.optional(),
    avatarUrl: avatarUrl.nullable().optional(),
    status: status.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'change at least one field' });

export type ProfilePatch = z.infer<typeof profilePatch>;
