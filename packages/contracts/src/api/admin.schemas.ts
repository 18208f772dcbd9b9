import { z } from 'zod';
import { emailAddressSchema } from '../email-address.js';
import { ROLES } from '../roles.js';
import { ACCOUNT_STATUSES } from '../users.js';
import { publicUserSchema } from './common.schemas.js';

/** Query strings carry text: only the literal words count, so `deleted=1` is refused rather than guessed. */
const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((value) => value === 'true');

export const listUsersQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  size: z.coerce.number().int().min(1).max(100).default(20),
  q: z.string().trim().min(1).max(100).optional(),
  role: z.enum(ROLES).optional(),
  status: z.enum(ACCOUNT_STATUSES).optional(),
  /** Soft-deleted accounts stay hidden unless asked for; then only they are listed. */
  deleted: flag,
});

export type ListUsersQuery = z.infer<typeof listUsersQuery>;

export const userIdParams = z.object({ id: z.uuid() });

/** An address as auth stores it (trimmed, case-folded): the unique index sees one account per mailbox. */
const emailAddress = emailAddressSchema;

/** Same bounds as the invitation mail's schema, which refuses an empty or overlong name. */
const displayName = z.string().trim().min(1).max(100);

export const createUserBody = z.strictObject({
  email: emailAddress,
  displayName: displayName.optional(),
  role: z.enum(ROLES).default('user'),
});

export type CreateUserBody = z.infer<typeof createUserBody>;

/** `deactivated` is not settable here: that is what DELETE does, with its own event and rules. */
export const updateUserBody = z
  .strictObject({
    displayName: displayName.optional(),
    role: z.enum(ROLES).optional(),
    status: z.enum(['active', 'suspended']).optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'Give at least one of displayName, role, status.',
  });

export type UpdateUserBody = z.infer<typeof updateUserBody>;

// Answers.

export const adminSummarySchema = z.object({
  users: z.object({
    total: z.number().int(),
    byRole: z.record(z.enum(ROLES), z.number().int()),
    byStatus: z.record(z.enum(ACCOUNT_STATUSES), z.number().int()),
  }),
  sessions: z.object({ active: z.number().int() }),
  online: z.number().int().describe('Users with a live socket'),
});

export const userPageSchema = z.object({
  users: z.array(publicUserSchema),
  page: z.number().int(),
  size: z.number().int(),
  total: z.number().int(),
});
