import {
  WS_LIMITS,
  type ChatTarget,
  type ClientFrame,
  type ServerFrame,
  type ServerFrameType,
} from '@platform/contracts';
import type { BackoffOptions } from './backoff.js';
import { Connection, type WebSocketConstructor } from './connection.js';
import { Emitter } from './emitter.js';
import { Outbox, SocketError, type SendAck } from './outbox.js';
import { SeqTracker } from './seq-tracker.js';
import type { Session } from './session.js';
import { TypingThrottle, type TypingOptions } from './typing.js';

/** Events of the socket: every server frame by its type, and the connection's own. */
export type RealtimeEvents = { [T in ServerFrameType]: Extract<ServerFrame, { type: T }> } & {
  open: undefined;
  /** `retryInMs` null: it will not reconnect (closed, signed out). */
  close: { code: number; reason: string; retryInMs: number | null };
};

export interface RealtimeOptions {
  /** `ws://host/ws` or `wss://host/ws`. */
  url: string;
  /** The WebSocket class: the browser's by default; pass `ws`'s in Node. */
  WebSocket?: WebSocketConstructor;
  backoff?: BackoffOptions;
  pingIntervalMs?: number;
  typing?: TypingOptions;
}

/** A key per conversation target, for typing state. */
const keyOf = (target: ChatTarget) => JSON.stringify(target);

function newClientId(): string {
  const crypto = globalThis.crypto as Crypto | undefined;
  // randomUUID exists only in secure contexts; localhost and https are, plain http elsewhere is not.
  if (crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The chat socket (`GET /ws`, docs/api.md): typed frames as events, exactly-once message delivery
 * across reconnects (`chat.sync` from the last seq seen, dedupe by conversation and seq), sends that
 * survive a reconnect (an outbox by clientId), presence subscriptions kept, typing throttled.
 * `chat.message` events carry every message once, whether it came live or through a sync.
 */
export class RealtimeClient {
  private readonly events = new Emitter<RealtimeEvents>();
  private readonly tracker = new SeqTracker();
  private readonly outbox = new Outbox<ClientFrame>();
  private readonly watching = new Set<string>();
  private readonly syncing = new Set<string>();
  private readonly typingThrottle: TypingThrottle<ChatTarget>;
  private readonly connection: Connection;

  constructor(
    private readonly session: Session,
    options: RealtimeOptions,
  ) {
    const WebSocketClass =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WebSocketClass)
      throw new TypeError('No WebSocket here: pass the `ws` class as the WebSocket option.');
    this.typingThrottle = new TypingThrottle(
      (target, on) => this.write({ type: 'typing', ...target, on }),
      options.typing,
    );
    this.connection = new Connection(
      {
        WebSocket: WebSocketClass,
        ...(options.backoff ? { backoff: options.backoff } : {}),
        ...(options.pingIntervalMs ? { pingIntervalMs: options.pingIntervalMs } : {}),
        url: async (forceRefresh) => {
          const token = forceRefresh ? await session.refresh(session.current()) : await session.valid();
          return token ? `${options.url}?access_token=${encodeURIComponent(token)}` : null;
        },
      },
      {
        open: () => this.opened(),
        frame: (text) => this.received(text),
        closed: (code, reason, retryInMs) => {
          this.typingThrottle.reset();
          this.syncing.clear();
          this.events.emit('close', { code, reason, retryInMs });
        },
        sessionEnded: () => void this.session.signOut('session_ended'),
      },
    );
    // Signed out anywhere (a refused refresh, another tab, logout): the socket has no session left.
    session.events.on('signedOut', () => this.close());
  }

  /** Adds a listener for a server frame type (or `open` / `close`); returns its remover. */
  on<K extends keyof RealtimeEvents>(event: K, listener: (payload: RealtimeEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Opens the socket (and keeps it open until `close`). */
  connect(): void {
    this.connection.start();
  }

  /** Closes for good: no reconnect; unacknowledged sends are rejected. */
  close(): void {
    this.connection.stop();
    this.typingThrottle.reset();
    this.outbox.close(new Error('The realtime client was closed before the message was acknowledged.'));
  }

  get isOpen(): boolean {
    return this.connection.isOpen;
  }

  /**
   * Sends a chat message: resolved by its `chat.ack` (once, however often it is resent), rejected by an
   * `error` frame naming its clientId. Kept and resent with the same clientId across reconnects, so it
   * is stored once. Typing in that conversation stops. `attachments`: ids of the sender's uploads (up to 10).
   */
  send(
    target: ChatTarget,
    text: string,
    clientId: string = newClientId(),
    attachments: readonly string[] = [],
  ): Promise<SendAck> {
    const frame: ClientFrame = {
      type: 'chat.send',
      ...target,
      text,
      clientId,
      ...(attachments.length > 0 ? { attachments: [...attachments] } : {}),
    };
    const acked = this.outbox.add(clientId, frame);
    this.typingThrottle.stop(keyOf(target));
    this.write(frame);
    return acked;
  }

  /** A keystroke in a conversation: `typing on` at most every few seconds, `off` after a pause. */
  typing(target: ChatTarget): void {
    this.typingThrottle.keystroke(keyOf(target), target);
  }

  /** Typing stopped (the field emptied): `typing off` now. */
  stopTyping(target: ChatTarget): void {
    this.typingThrottle.stop(keyOf(target));
  }

  /** Watches users' presence (`presence` frames), also on every later socket. */
  subscribePresence(userIds: string[]): void {
    const added = userIds.filter((id) => !this.watching.has(id));
    for (const id of added) this.watching.add(id);
    for (const part of chunks(added, WS_LIMITS.presenceUserIds))
      this.write({ type: 'presence.subscribe', userIds: part });
  }

  unsubscribePresence(userIds: string[]): void {
    const removed = userIds.filter((id) => this.watching.delete(id));
    for (const part of chunks(removed, WS_LIMITS.presenceUserIds))
      this.write({ type: 'presence.unsubscribe', userIds: part });
  }

  /**
   * Tells the client what the app already shows of a conversation (say, a history page up to seq 40),
   * so a reconnect syncs from there; conversations of the connect snapshot are followed by themselves.
   */
  follow(conversationId: string, lastSeq: number): void {
    this.tracker.follow(conversationId, lastSeq);
  }

  /** Any other client frame (read receipts, edits, deletions, reactions, history); false while disconnected. */
  sendFrame(frame: ClientFrame): boolean {
    return this.write(frame);
  }

  private write(frame: ClientFrame): boolean {
    return this.connection.send(frame);
  }

  /** A new socket: catch up on every followed conversation, watch again, resend what was not acked. */
  private opened(): void {
    for (const part of chunks(this.tracker.syncRequest(), WS_LIMITS.syncConversations)) {
      for (const { id } of part) this.syncing.add(id);
      this.write({ type: 'chat.sync', conversations: part });
    }
    for (const part of chunks([...this.watching], WS_LIMITS.presenceUserIds))
      this.write({ type: 'presence.subscribe', userIds: part });
    for (const frame of this.outbox.frames()) this.write(frame);
    this.events.emit('open', undefined);
  }

  private received(text: string): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'chat.snapshot') {
      this.connection.settled();
      for (const line of frame.conversations) this.tracker.follow(line.id, line.lastSeq);
    } else if (frame.type === 'chat.message') {
      return this.deliver(frame);
    } else if (frame.type === 'chat.sync') {
      this.synced(frame);
    } else if (frame.type === 'chat.ack') {
      this.outbox.ack(frame);
    } else if (frame.type === 'error' && frame.ref !== undefined) {
      this.outbox.refuse(frame.ref, new SocketError(frame.code, frame.detail, frame.ref));
    }
    this.emitFrame(frame);
  }

  /** One message, once: a duplicate (live and synced, or a resend) is dropped; a gap asks for a sync. */
  private deliver(message: Extract<ServerFrame, { type: 'chat.message' }>): void {
    const { conversationId, seq } = message;
    if (this.tracker.accept(conversationId, seq) === 'duplicate') return;
    this.emitFrame(message);
    if (this.tracker.hasGap(conversationId)) this.requestSync(conversationId);
  }

  private synced(frame: Extract<ServerFrame, { type: 'chat.sync' }>): void {
    this.syncing.delete(frame.conversationId);
    for (const message of frame.messages) this.deliver({ type: 'chat.message', ...message });
    const gap = frame.messages.length > 0 && this.tracker.hasGap(frame.conversationId);
    if (frame.hasMore || gap) this.requestSync(frame.conversationId);
  }

  private requestSync(conversationId: string): void {
    if (this.syncing.has(conversationId)) return;
    const after = this.tracker.after(conversationId);
    if (this.write({ type: 'chat.sync', conversations: [{ id: conversationId, after }] }))
      this.syncing.add(conversationId);
  }

  private emitFrame(frame: ServerFrame): void {
    // The union cannot be narrowed per member through the mapped event type; each frame is its own event.
    this.events.emit(frame.type, frame as never);
  }
}
