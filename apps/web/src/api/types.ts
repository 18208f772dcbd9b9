/** The API's answers as the pages use them (docs/api.md; the schemas live in packages/contracts/src/api). */

export interface User {
  id: string;
  email: string;
  role: 'user' | 'manager' | 'admin';
  displayName: string;
  avatarUrl: string | null;
  status: string | null;
  emailVerified: boolean;
  createdAt: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
  user: User;
}

export interface SessionView {
  id: string;
  device: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  current: boolean;
}

export interface Identity {
  provider: string;
  email: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface TwoFactorSetup {
  secret: string;
  otpauthUrl: string;
  /** A data: URL of a PNG. */
  qrCode: string;
}

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  channel?: string;
  to?: string;
  from: string;
  text: string;
  at: string;
  editedAt: string | null;
  deleted: boolean;
  reactions: Record<string, number>;
}

export interface Conversation {
  id: string;
  kind: 'global' | 'direct' | 'group';
  channel?: string;
  with?: string;
  name: string | null;
  lastSeq: number;
  lastReadSeq: number;
  unread: number;
  lastMessage: Message | null;
}

export interface HistoryPage {
  conversationId: string;
  messages: Message[];
  hasMore: boolean;
  nextBefore: number | null;
}

/** A user as the admin directory shows it (PublicUser: with the account's lifecycle state). */
export interface DirectoryUser extends User {
  accountStatus: 'active' | 'suspended' | 'deactivated';
}

export interface UserPage {
  users: DirectoryUser[];
  page: number;
  size: number;
  total: number;
}

export interface UserQuery {
  page: number;
  size: number;
  q?: string;
  role?: User['role'];
  status?: DirectoryUser['accountStatus'];
  deleted?: boolean;
}

export interface AdminSummary {
  users: { total: number; byRole: Record<string, number>; byStatus: Record<string, number> };
  sessions: { active: number };
  online: number;
}

export interface AuditEntry {
  id: string;
  kind: 'request' | 'audit';
  at: string;
  service: string;
  action: string | null;
  actorId: string | null;
  targetId: string | null;
  userId: string | null;
  method: string | null;
  path: string | null;
  status: number | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

export interface AuditQuery {
  size?: number;
  cursor?: string;
  action?: string;
  actor?: string;
  user?: string;
  kind?: 'request' | 'audit';
  from?: string;
  to?: string;
}

export interface SignInActivity {
  bucket: 'hour' | 'day';
  from: string;
  to: string;
  points: { at: string; succeeded: number; failed: number }[];
}
