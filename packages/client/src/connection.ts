import { WS_CLOSE_CODES } from '@platform/contracts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';

/**
 * The part of a WebSocket the client uses: the browser's class and the `ws` package's both fit. The
 * handlers take `never` so that either library's own event types are accepted; the client reads only
 * `data` of a message and `code` and `reason` of a close.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

interface MessageLike {
  data: unknown;
}

interface CloseLike {
  code: number;
  reason: string;
}

/** A WebSocket constructor: `globalThis.WebSocket` in browsers, `ws`'s class in Node. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

const OPEN = 1;

export interface ConnectionOptions {
  /** The socket URL with a valid token, or null when signed out; `forceRefresh` after a refused handshake. */
  url(forceRefresh: boolean): Promise<string | null>;
  WebSocket: WebSocketConstructor;
  backoff?: BackoffOptions;
  /** A `ping` this often; no frame at all for two intervals means the connection is dead. */
  pingIntervalMs?: number;
}

export interface ConnectionHandlers {
  open(): void;
  frame(text: string): void;
  /** The socket closed; `retryInMs` null when it will not reconnect. */
  closed(code: number, reason: string, retryInMs: number | null): void;
  /** 4001: the session was logged out or revoked. */
  sessionEnded(): void;
}

/**
 * One socket kept open: reconnects with exponential backoff and full jitter after anything but a
 * deliberate close or 4001 (1001 going away and 4008 too slow included), refreshes the token before
 * reconnecting when needed, and pings so a dead connection is noticed.
 */
export class Connection {
  private socket: WebSocketLike | null = null;
  private attempt = 0;
  private stopped = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pinger: ReturnType<typeof setInterval> | null = null;
  private heardSincePing = true;
  /** A handshake failed since the last open: the next try refreshes the token first (once). */
  private refusedSinceOpen = 0;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly handlers: ConnectionHandlers,
  ) {}

  get isOpen(): boolean {
    return this.socket?.readyState === OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.open();
  }

  /** Writes a frame when open; false otherwise (the caller keeps it for the next socket). */
  send(frame: object): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Resets the backoff once the server has accepted the session (its connect snapshot arrived). */
  settled(): void {
    this.attempt = 0;
  }

  stop(code = 1000): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.drop(code, 'client closed');
  }

  private async open(): Promise<void> {
    this.timer = null;
    let url: string | null;
    try {
      url = await this.options.url(this.refusedSinceOpen === 1);
    } catch {
      // The token could not be refreshed (the network): try again later, as for a failed socket.
      return this.retry(1006, 'no token');
    }
    if (this.stopped) return;
    if (url === null) return this.handlers.closed(1000, 'signed out', null);
    const socket = new this.options.WebSocket(url);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.refusedSinceOpen = 0;
      this.startPinging();
      this.handlers.open();
    };
    socket.onmessage = (event: MessageLike) => {
      this.heardSincePing = true;
      if (typeof event.data === 'string') this.handlers.frame(event.data);
    };
    socket.onerror = () => undefined;
    socket.onclose = (event: CloseLike) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopPinging();
      if (!opened) this.refusedSinceOpen += 1;
      this.closed(event.code, event.reason);
    };
  }

  private closed(code: number, reason: string): void {
    if (this.stopped) return this.handlers.closed(code, reason, null);
    if (code === WS_CLOSE_CODES.sessionEnded) {
      this.stopped = true;
      this.handlers.closed(code, reason, null);
      return this.handlers.sessionEnded();
    }
    this.retry(code, reason);
  }

  private retry(code: number, reason: string): void {
    const delay = backoffDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF);
    this.attempt += 1;
    this.handlers.closed(code, reason, delay);
    this.timer = setTimeout(() => void this.open(), delay);
  }

  /** Closes the current socket now, without waiting for its close handshake (which a dead link never finishes). */
  private drop(code: number, reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    this.stopPinging();
    socket.onclose = null;
    socket.onmessage = null;
    socket.close(code, reason);
    this.closed(code, reason);
  }

  private startPinging(): void {
    const every = this.options.pingIntervalMs ?? 25_000;
    this.heardSincePing = true;
    this.pinger = setInterval(() => {
      // Nothing since the last ping, not even its pong: the link is dead though no close arrived.
      if (!this.heardSincePing) return this.drop(4000, 'no pong');
      this.heardSincePing = false;
      this.send({ type: 'ping' });
    }, every);
  }

  private stopPinging(): void {
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = null;
  }
}
