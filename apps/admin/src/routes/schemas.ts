import { z } from 'zod';
import { emailAddressSchema, ROLES } from '@platform/contracts';
import { USER_STATUSES } from '@platform/db';

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
  status: z.enum(USER_STATUSES).optional(),
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
