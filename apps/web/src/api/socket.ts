import type { Message } from './types.js';

/** The server frames the app reacts to (docs/api.md, WebSocket: `GET /ws`). */
export type ServerFrame =
  | ({ type: 'chat.message' } & Message)
  | { type: 'chat.ack'; clientId: string; id: string; conversationId: string; seq: number; at: string }
  | { type: 'message.edited'; id: string; conversationId: string; text: string; editedAt: string }
  | { type: 'message.deleted'; id: string; conversationId: string }
  | { type: 'reaction'; id: string; conversationId: string; emoji: string; count: number }
  | { type: 'receipt'; id: string; conversationId: string; seq: number; status: 'delivered' | 'read' }
  | { type: 'typing'; conversationId: string; from: string; on: boolean }
  | { type: 'presence'; userId: string; online: boolean }
  | { type: 'chat.sync'; conversationId: string; messages: Message[]; hasMore: boolean }
  | { type: 'chat.snapshot'; conversations: unknown[]; online: string[] }
  | { type: 'notification'; id: string; event: string; message: string; at: string }
  | { type: 'error'; code: string; detail: string; ref?: string };

export type FrameListener = (frame: ServerFrame) => void;
export type SocketState = 'connecting' | 'open' | 'closed';

/** The close code of a session that was logged out or revoked: reconnecting cannot help. */
const SESSION_ENDED = 4001;
const MAX_BACKOFF_MS = 15_000;

/**
 * The chat socket: connects with the current access token, reconnects with backoff (a fresh token each
 * time), and on every (re)connect calls `onOpen` so the caller can ask for what it missed (`chat.sync`).
 * Frames sent while it is down are dropped; the caller re-sends by clientId, which the server stores once.
 */
export class ChatSocket {
  private ws: WebSocket | null = null;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly token: () => Promise<string | null>,
    private readonly onFrame: FrameListener,
    private readonly onState: (state: SocketState) => void,
    private readonly onOpen: () => void,
    private readonly onSessionEnded: () => void,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000);
    this.ws = null;
  }

  /** Sends a frame if the socket is open; false when it is not (the caller keeps it for later). */
  send(frame: Record<string, unknown>): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  private async connect(): Promise<void> {
    const token = await this.token();
    if (this.stopped) return;
    if (token === null) return this.onSessionEnded();
    this.onState('connecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws?access_token=${encodeURIComponent(token)}`);
    this.ws = ws;
    ws.onopen = () => {
      this.attempts = 0;
      this.onState('open');
      this.onOpen();
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      try {
        this.onFrame(JSON.parse(event.data) as ServerFrame);
      } catch {
        // A frame that is not JSON is the server's bug; the socket stays useful.
      }
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.onState('closed');
      if (this.stopped) return;
      if (event.code === SESSION_ENDED) return this.onSessionEnded();
      // Full jitter: many tabs reconnecting after a restart do not arrive together.
      const delay = Math.random() * Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts);
      this.attempts += 1;
      this.timer = setTimeout(() => void this.connect(), delay);
    };
  }
}
