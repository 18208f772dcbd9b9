import type { Role } from '@platform/contracts';
import type { TokenBucket } from './token-bucket.js';

/** Codes of `error` frames; clients switch on them. */
export type FrameErrorCode = 'bad_json' | 'unknown_type' | 'rate_limited' | 'validation_failed';

/** Every frame the server sends (API.md, WebSocket messages). */
export type ServerFrame =
  | { type: 'pong' }
  | { type: 'error'; code: FrameErrorCode; detail: string }
  | { type: 'notification'; id: string; event: string; message: string; at: string };

/** WebSocket close codes this service uses besides the standard ones. */
export const CLOSE_CODES = {
  /** Going away: the instance shuts down; clients reconnect (to another instance). */
  goingAway: 1001,
  /** The session was logged out or revoked; reconnecting needs a new login. */
  sessionEnded: 4001,
  /** The client reads too slowly; its backlog passed WS_MAX_BACKPRESSURE_BYTES. */
  slowConsumer: 4008,
} as const;

/** Notification ids remembered per socket, so the connect replay and a live fanout never both send one. */
export const RECENT_NOTIFICATIONS = 100;

/** What uWS keeps for each socket (`ws.getUserData()`), set once in `upgrade`. */
export interface SocketData {
  userId: string;
  sessionId: string;
  role: Role;
  connectedAt: number;
  bucket: TokenBucket;
  /** When the last `rate_limited` error was sent: one per second is enough for a client to notice. */
  rateLimitNoticeAt: number;
  /** Ids of notifications already sent on this socket (bounded by RECENT_NOTIFICATIONS). */
  sent: Set<string>;
  /** Set by the close handler: uWS throws on any use of a closed socket, and async work may outlive it. */
  closed: boolean;
}
