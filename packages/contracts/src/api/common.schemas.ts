import { z } from 'zod';
import { ROLES } from '../roles.js';
import { ACCOUNT_STATUSES } from '../users.js';

/** Response shapes several services share. They document answers; handlers do not parse with them. */

const isoTime = z.iso.datetime();

/** `PublicUser` (users.ts) as a schema: a user as every API shows it. */
export const publicUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(ROLES),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  status: z.string().nullable(),
  accountStatus: z.enum(ACCOUNT_STATUSES),
  emailVerified: z.boolean(),
  createdAt: isoTime,
});

export const userEnvelopeSchema = z.object({ user: publicUserSchema });

/** `202` for requests answered the same whether or not an account exists. */
export const acceptedSchema = z.object({ status: z.literal('accepted') });

/** A session as its owner sees it. */
export const sessionViewSchema = z.object({
  id: z.uuid(),
  device: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: isoTime,
  lastUsedAt: isoTime,
});

export { isoTime };
