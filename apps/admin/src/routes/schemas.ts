import { z } from 'zod';
import { ROLES } from '@platform/contracts';
import { USER_STATUSES } from '@platform/db';

export const listUsersQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  size: z.coerce.number().int().min(1).max(100).default(20),
  q: z.string().trim().min(1).max(100).optional(),
  role: z.enum(ROLES).optional(),
  status: z.enum(USER_STATUSES).optional(),
});

export type ListUsersQuery = z.infer<typeof listUsersQuery>;
