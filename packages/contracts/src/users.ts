import { z } from 'zod';
import type { Role } from './roles.js';

/** An account's lifecycle state (`status` of the users table). */
export const ACCOUNT_STATUSES = ['active', 'suspended', 'deactivated'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** A user as every API shows it: never a password hash, never internal flags. */
export interface PublicUser {
  id: string;
  email: string;
  role: Role;
  displayName: string;
  avatarUrl: string | null;
  /** The user's own status line ("In a meeting"); see `accountStatus` for active/suspended. */
  status: string | null;
  accountStatus: AccountStatus;
  emailVerified: boolean;
  createdAt: string;
}

/**
 * A display name as every service accepts it: letters, marks, numbers, spaces and common name
 * punctuation; no markup, control or invisible characters (it is shown in other users' clients).
 */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(
    /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .,'’()_-]*$/u,
    "use letters, numbers, spaces and . , ' ( ) _ - only",
  );
