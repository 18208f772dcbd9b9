import type { ErrorCode, Role, ServerFrame as ContractServerFrame } from '@platform/contracts';
import type { ChatErrorCode } from '../chat/chat.types.js';
import type { TokenBucket } from './token-bucket.js';

/** Only codes of the catalogue may be named: a code means the same on the socket as over REST. */
type Catalogued<C extends ErrorCode> = C;

/** Codes of `error` frames; clients switch on them. */
export type FrameErrorCode = Catalogued<
  'bad_json' | 'unknown_type' | 'rate_limited' | 'validation_failed' | 'unavailable' | ChatErrorCode
>;

/**
 * Every frame the server sends: the contract's (`chat-frames.ts` in @platform/contracts, which clients
 * such as `@platform/client` are typed against), with `error` frames narrowed to the codes this
 * service actually sends.
 */
export type ServerFrame =
  | Exclude<ContractServerFrame, { type: 'error' }>
  /** `ref` echoes the request's `clientId` (chat.send) or message `id`, so a client can match it. */
  | { type: 'error'; code: FrameErrorCode; detail: string; ref?: string };

/** WebSocket close codes this service uses besides the standard ones: the contract's. */
export { WS_CLOSE_CODES as CLOSE_CODES } from '@platform/contracts';

/** Notification ids remembered per socket, so the connect replay and a live fanout never both send one. */
export const RECENT_NOTIFICATIONS = 100;

/**
 * What uWS keeps for each socket (`ws.getUserData()`), set once in `upgrade`. Most sockets sit idle, so
 * whatever only a socket in use needs (rate-limit buckets, the request chain, sets) is null until then.
 */
export interface SocketData {
  userId: string;
  sessionId: string;
  role: Role;
  /** Client frames (WS_MESSAGES_PER_SECOND); null until the first one: a full bucket (see `takeToken`). */
  bucket: TokenBucket | null;
  /** When the last `rate_limited` error was sent: one per second is enough for a client to notice. */
  rateLimitNoticeAt: number;
  /**
   * Ids of notifications already sent on this socket (bounded by RECENT_NOTIFICATIONS); null until the
   * first one, like `watching`: an empty Set costs ~160 bytes, and most idle sockets never need one.
   */
  sent: Set<string> | null;
  /** Set by the close handler: uWS throws on any use of a closed socket, and async work may outlive it. */
  closed: boolean;
  /** Marked when the socket is being closed as a slow consumer: nothing more is written to it. */
  slow: boolean;
  /**
   * Typing frames are ephemeral: past CHAT_TYPING_PER_SECOND they are dropped without an error. Null
   * until the first one, like `bucket`.
   */
  typingBucket: TokenBucket | null;
  /**
   * The socket's chat requests run one after another, so its sends are stored (and numbered) in order:
   * the last one's promise, null once it settled (an idle socket holds no promise).
   */
  chain: Promise<void> | null;
  /** Requests waiting in `chain`; past MAX_PENDING_REQUESTS new ones are refused. */
  pending: number;
  /** Users whose presence this socket watches (uWS topics `presence:<id>`), at most MAX_WATCHED; null: none yet. */
  watching: Set<string> | null;
}

/** uWS topics (one module names them all). Every socket subscribes to `everyone` on open. */
export const TOPICS = {
  /** Global chat, and presence while few users are online: frames for every connected user. */
  everyone: 'everyone',
  /** One user's presence changes, for the sockets watching them. */
  presenceOf: (userId: string) => `presence:${userId}`,
} as const;

/** Users one socket may watch: its contacts plus explicit subscriptions. */
export const MAX_WATCHED = 1000;

/** Chat requests a socket may have waiting (the rate limit keeps this low unless the database stalls). */
export const MAX_PENDING_REQUESTS = 32;
