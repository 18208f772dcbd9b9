import type { Logger } from 'pino';
import type { RealtimeMetrics } from '../metrics.js';
import { refOf, targetOf, type ClientMessage } from '../ws/client-messages.js';
import type { FrameSender } from '../ws/frame-sender.js';
import { MAX_PENDING_REQUESTS, MAX_WATCHED, type ServerFrame } from '../ws/frames.js';
import { fullBucket, takeToken } from '../ws/token-bucket.js';
import type { ChatService } from './chat.service.js';
import { ChatError, type Actor } from './chat.types.js';
import { conversationTarget } from './ids.js';
import type { PresenceWatch, WatchingSocket as Socket } from './presence-watch.js';

export interface ChatCommandDeps {
  chat: ChatService;
  sender: FrameSender;
  metrics: RealtimeMetrics;
  log: Logger;
  typingPerSecond: number;
  presence: PresenceWatch;
}

type ChatRequest = Exclude<ClientMessage, { type: 'ping' | 'typing' }>;

/**
 * Runs a socket's chat frames. Requests that store or read state go through the socket's own chain,
 * one at a time, so two sends from one client are numbered in the order it sent them; `typing` skips
 * the chain (it is ephemeral, and a slow database must not delay it). Failures never leave this module
 * except as `error` frames: a ChatError keeps its code, anything else is `unavailable` (retry; a
 * `chat.send` retried with the same clientId is stored once).
 */
export class ChatCommands {
  constructor(private readonly deps: ChatCommandDeps) {}

  handle(socket: Socket, message: Exclude<ClientMessage, { type: 'ping' }>): void {
    if (message.type === 'typing') return this.typing(socket, message);
    this.enqueue(socket, refOf(message), () => this.run(socket, message));
  }

  /**
   * The connect snapshot: the user's conversations with unread counts and last messages (PostgreSQL),
   * and who is online (Redis). The socket starts watching its contacts' presence first, so the list
   * covers them. Redis being down costs the list of who is online (empty), not the snapshot.
   */
  snapshot(socket: Socket): void {
    this.enqueue(socket, undefined, async () => {
      const actor = actorOf(socket);
      const [conversations, contacts] = await Promise.all([
        this.deps.chat.snapshot(actor),
        this.deps.chat.contacts(actor, MAX_WATCHED),
      ]);
      this.deps.presence.watch(socket, contacts);
      const online = await this.onlineOrNobody(socket);
      this.deps.sender.send(socket, { type: 'chat.snapshot', conversations, online });
    });
  }

  private async onlineOrNobody(socket: Socket): Promise<string[]> {
    try {
      return await this.deps.presence.onlineFor(socket);
    } catch (error) {
      const { userId } = socket.getUserData();
      this.deps.log.warn({ err: error, userId }, 'snapshot without the online users: presence lookup failed');
      return [];
    }
  }

  private typing(socket: Socket, message: Extract<ClientMessage, { type: 'typing' }>): void {
    const state = socket.getUserData();
    const now = Date.now();
    state.typingBucket ??= fullBucket(this.deps.typingPerSecond, now);
    if (!takeToken(state.typingBucket, this.deps.typingPerSecond, now)) {
      this.deps.metrics.messagesIn.inc({ type: 'typing_dropped' });
      return;
    }
    this.deps.chat
      .typing(actorOf(socket), targetOf(message), message.on)
      .catch((error: unknown) => this.fail(socket, error, undefined));
  }

  private enqueue(socket: Socket, ref: string | undefined, work: () => Promise<void>): void {
    const state = socket.getUserData();
    if (state.pending >= MAX_PENDING_REQUESTS) {
      this.send(socket, errorFrame('unavailable', 'Too many requests in progress; retry shortly.', ref));
      return;
    }
    state.pending++;
    const chain: Promise<void> = (state.chain ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => this.fail(socket, error, ref))
      .finally(() => {
        state.pending--;
        // The last request finished: an idle socket keeps no settled promise around.
        if (state.chain === chain) state.chain = null;
      });
    state.chain = chain;
  }

  private async run(socket: Socket, message: ChatRequest): Promise<void> {
    const { chat } = this.deps;
    const actor = actorOf(socket);
    switch (message.type) {
      case 'chat.send': {
        const { text, clientId, attachments = [] } = message;
        const { message: stored } = await chat.send(actor, targetOf(message), text, clientId, attachments);
        const { id, conversationId, seq, at } = stored;
        this.send(socket, { type: 'chat.ack', clientId: message.clientId, id, conversationId, seq, at });
        return;
      }
      case 'message.read':
        await chat.markRead(actor, message.id);
        return;
      case 'message.edit':
        await chat.edit(actor, message.id, message.text);
        return;
      case 'message.delete':
        await chat.remove(actor, message.id);
        return;
      case 'reaction':
        await chat.react(actor, message.id, message.emoji, message.on);
        return;
      case 'chat.history': {
        const page = await chat.history(actor, targetOf(message), {
          ...(message.before === undefined ? {} : { before: message.before }),
          ...(message.limit === undefined ? {} : { limit: message.limit }),
        });
        this.send(socket, { type: 'chat.history', ...page });
        return;
      }
      case 'presence.subscribe': {
        const { added, full } = this.deps.presence.watch(socket, message.userIds);
        if (full) {
          const detail = `A socket watches at most ${MAX_WATCHED} users; unsubscribe from some first.`;
          this.send(socket, errorFrame('validation_failed', detail));
        }
        // Where each newly watched user stands now; changes follow as they happen.
        const online = await this.deps.presence.onlineAmong(added);
        for (const userId of added)
          this.send(socket, { type: 'presence', userId, online: online.has(userId) });
        return;
      }
      case 'presence.unsubscribe':
        this.deps.presence.unwatch(socket, message.userIds);
        return;
      case 'chat.sync':
        // One conversation failing (left the group meanwhile) must not hide the others' messages; a
        // closed socket ends the round (nobody would read the rest).
        for (const { id, after } of message.conversations) {
          if (socket.getUserData().closed) return;
          try {
            const page = await chat.since(actor, conversationTarget(id), after);
            this.send(socket, { type: 'chat.sync', ...page });
          } catch (error) {
            this.fail(socket, error, id);
          }
        }
        return;
    }
  }

  private fail(socket: Socket, error: unknown, ref: string | undefined): void {
    if (error instanceof ChatError) return this.send(socket, errorFrame(error.code, error.message, ref));
    const { userId } = socket.getUserData();
    this.deps.log.error({ err: error, userId }, 'chat request failed');
    this.send(socket, errorFrame('unavailable', 'Could not do that right now; retry.', ref));
  }

  private send(socket: Socket, frame: ServerFrame): void {
    this.deps.sender.send(socket, frame);
  }
}

function actorOf(socket: Socket): Actor {
  const { userId, role } = socket.getUserData();
  return { userId, role };
}

function errorFrame(code: Extract<ServerFrame, { type: 'error' }>['code'], detail: string, ref?: string) {
  const frame: ServerFrame =
    ref === undefined ? { type: 'error', code, detail } : { type: 'error', code, detail, ref };
  return frame;
}
