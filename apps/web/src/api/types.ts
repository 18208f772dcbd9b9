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
