import WebSocket from 'ws';
import { createClient, type PlatformClient, type RealtimeClient } from '@platform/client';
import type { ChatTarget } from '@platform/contracts';
import type { Recorder } from './stats.js';

/** Counters every chat user adds to; the soak fails on any live duplicate or failed handshake with a 5xx. */
export interface WireCounters {
  /** A `chat.message` frame for a (conversation, seq) that one socket had already been sent live. */
  liveDuplicates: number;
  /** Upgrades refused with an HTTP status, by status. */
  refusedUpgrades: Record<string, number>;
  /** Closes the soak did not cause, by close code. */
  unexpectedCloses: Record<string, number>;
}

/** The text of a soak message: its clientId, so a receiver can time it and spot a second stored copy. */
export const messageText = (clientId: string) => `soak ${clientId}`;
const clientIdOf = (text: string) => (text.startsWith('soak ') ? text.slice(5) : undefined);

/**
 * One signed-in user of the soak with its chat socket (the SDK's, over the `ws` package). The
 * WebSocket class handed to the SDK is tapped: the soak can cut the current socket as a network
 * would, and it sees every frame as it came off the wire, before the SDK's deduplication.
 */
export class ChatUser {
  readonly client: PlatformClient;
  readonly rt: RealtimeClient;
  /** Where this user sends: the global channel, its group, its direct conversation. */
  readonly targets: ChatTarget[] = [];
  /** What the SDK delivered, per conversation: seq -> how many times. */
  readonly received = new Map<string, Map<number, number>>();
  /** Per conversation, the seq it was followed from (messages up to it are not expected). */
  readonly followedFrom = new Map<string, number>();
  /** Texts received per conversation, to find a message stored twice under two seqs. */
  readonly texts = new Map<string, Map<string, number>>();
  private socket: WebSocket | undefined;
  private droppedAt: number | undefined;
  private snapshots = 0;

  constructor(
    readonly index: number,
    readonly userId: string,
    edgeUrl: string,
    private readonly recorder: Recorder,
    private readonly sentAt: Map<string, number>,
    private readonly counters: WireCounters,
  ) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the class below has its own `this`
    const user = this;
    class TappedWebSocket extends WebSocket {
      constructor(url: string) {
        super(url);
        user.socket = this;
        const seen = new Set<string>();
        this.on('message', (data: Buffer) => user.tap(data.toString(), seen));
        this.on('error', (error: Error) => {
          const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
          if (status) counters.refusedUpgrades[status] = (counters.refusedUpgrades[status] ?? 0) + 1;
        });
      }
    }
    this.client = createClient({
      baseUrl: edgeUrl,
      transport: 'body',
      realtime: { WebSocket: TappedWebSocket, backoff: { baseMs: 200, maxMs: 5_000 } },
    });
    this.rt = this.client.realtime();
    this.rt.on('chat.message', (message) =>
      this.delivered(message.conversationId, message.seq, message.text),
    );
    this.rt.on('chat.snapshot', (snapshot) => {
      this.snapshots += 1;
      for (const line of snapshot.conversations)
        if (!this.followedFrom.has(line.id)) this.followedFrom.set(line.id, line.lastSeq);
      if (this.droppedAt !== undefined) recorder.record('ws.reconnect', performance.now() - this.droppedAt);
      this.droppedAt = undefined;
    });
    this.rt.on('close', ({ code }) => {
      if (this.droppedAt === undefined && code !== 1000)
        counters.unexpectedCloses[code] = (counters.unexpectedCloses[code] ?? 0) + 1;
    });
  }

  /** Connects and resolves at the first connect snapshot. */
  async connect(): Promise<void> {
    const first = new Promise<void>((resolve) => {
      const off = this.rt.on('chat.snapshot', () => {
        off();
        resolve();
      });
    });
    this.rt.connect();
    await first;
  }

  /** Open and past its connect snapshot: a send now measures the server, not a reconnect. */
  get ready(): boolean {
    return this.rt.isOpen && this.droppedAt === undefined && this.snapshots > 0;
  }

  /** Cuts the socket without a close handshake, as a lost network does; the SDK reconnects and syncs. */
  drop(): void {
    if (!this.socket || !this.ready) return;
    this.droppedAt = performance.now();
    this.socket.terminate();
  }

  /** Starts expecting every message of a conversation after `seq`. */
  follow(conversationId: string, seq: number): void {
    if (!this.followedFrom.has(conversationId)) this.followedFrom.set(conversationId, seq);
    this.rt.follow(conversationId, seq);
  }

  close(): void {
    this.client.close();
  }

  private delivered(conversationId: string, seq: number, text: string): void {
    const seqs = this.received.get(conversationId) ?? new Map<number, number>();
    seqs.set(seq, (seqs.get(seq) ?? 0) + 1);
    this.received.set(conversationId, seqs);
    const texts = this.texts.get(conversationId) ?? new Map<string, number>();
    texts.set(text, (texts.get(text) ?? 0) + 1);
    this.texts.set(conversationId, texts);
  }

  /** Live `chat.message` frames on one socket: each (conversation, seq) once; times others' messages. */
  private tap(raw: string, seen: Set<string>): void {
    if (!raw.includes('"chat.message"')) return;
    const frame = JSON.parse(raw) as {
      type: string;
      conversationId: string;
      seq: number;
      from: string;
      text: string;
    };
    if (frame.type !== 'chat.message') return;
    const key = `${frame.conversationId}:${frame.seq}`;
    if (seen.has(key)) this.counters.liveDuplicates += 1;
    seen.add(key);
    const clientId = clientIdOf(frame.text);
    const sent = clientId === undefined ? undefined : this.sentAt.get(clientId);
    if (frame.from !== this.userId && sent !== undefined)
      this.recorder.record('chat.delivery', performance.now() - sent);
  }
}
