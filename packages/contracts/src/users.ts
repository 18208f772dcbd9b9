import type { Role } from './roles.js';

/** A user as every API shows it: never a password hash, never internal flags. */
export interface PublicUser {
  id: string;
  email: string;
  role: Role;
  displayName: string;
  avatarUrl: string | null;
  /** The user's own status line ("In a meeting"); see `accountStatus` for active/suspended. */
  status: string | null;
  accountStatus: 'active' | 'suspended' | 'deactivated';
  emailVerified: boolean;
  createdAt: string;
}
