import { SocketError, type SendAck } from '@platform/client';
import {
  ERROR_CATALOGUE,
  GLOBAL_CONVERSATION_ID,
  type ChatTarget,
  type ErrorCode,
} from '@platform/contracts';
import { ChatUser, messageText, type WireCounters } from './chat-user.js';
import type { Recorder } from './stats.js';

/** A signed-in account the chat part takes over. */
export interface Account {
  userId: string;
  email: string;
  password: string;
}

/** What the chat part checks at the end; the soak fails unless every count but the first three is 0. */
export interface ChatVerdict {
  users: number;
  conversations: number;
  acked: number;
  /** Deliveries the members should have had (every acked message to every member following it). */
  expected: number;
  /** An acked message a member never got. */
  lost: number;
  /** A message the SDK let through twice, or one text stored under two seqs. */
  duplicated: number;
  /** A message a member got that no send was acked for. */
  unexpected: number;
  /** Sends still waiting for their ack (or refusal) when the drain gave up. */
  unsettled: number;
  wire: WireCounters;
}

/** A socket error code as the HTTP status it stands for; `unavailable` is the socket's 503. */
function statusOfCode(code: string): number | string {
  if (code === 'unavailable') return 503;
  return ERROR_CATALOGUE[code as ErrorCode]?.status ?? code;
}

const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

/**
 * Chat over many sockets: users in small groups, each with a direct conversation with a neighbour and
 * the global channel; steady sends from random open sockets, sockets cut at random and resumed by the
 * SDK, and at the end the exactly-once check of every member against every acked message.
 */
export class ChatSoak {
  readonly users: ChatUser[] = [];
  readonly wire: WireCounters = { liveDuplicates: 0, refusedUpgrades: {}, unexpectedCloses: {} };
  /** Acked messages per conversation: seq -> clientId. */
  private readonly acked = new Map<string, Map<number, string>>();
  private readonly members = new Map<string, Set<ChatUser>>();
  private readonly sentAt = new Map<string, number>();
  private pending = 0;
  private sent = 0;

  constructor(
    private readonly edgeUrl: string,
    private readonly recorder: Recorder,
  ) {}

  /** Signs everyone in, makes the groups and direct conversations, and connects every socket. */
  async setUp(accounts: readonly Account[], groupSize: number): Promise<void> {
    for (const [index, account] of accounts.entries()) {
      const user = new ChatUser(index, account.userId, this.edgeUrl, this.recorder, this.sentAt, this.wire);
      await user.client.auth.login({ email: account.email, password: account.password });
      this.users.push(user);
    }
    await Promise.all(this.users.map((user) => user.connect()));
    const firsts: Promise<SendAck>[] = [];
    for (let at = 0; at < this.users.length; at += groupSize) {
      const group = this.users.slice(at, at + groupSize);
      const [owner, ...rest] = group;
      if (!owner || rest.length === 0) continue;
      const created = await owner.client.api.createGroup({
        body: { name: `soak ${at / groupSize}`, members: rest.map((u) => u.userId) },
      });
      for (const user of group) user.targets.push({ channel: created.id });
      firsts.push(this.opening(owner, { channel: created.id }, group));
    }
    for (let i = 0; i + 1 < this.users.length; i += 2) {
      const [a, b] = [this.users[i], this.users[i + 1]];
      if (!a || !b) continue;
      a.targets.push({ to: b.userId });
      b.targets.push({ to: a.userId });
      firsts.push(this.opening(a, { to: b.userId }, [a, b]));
    }
    for (const user of this.users) {
      user.targets.push({ channel: 'global' });
      this.join(GLOBAL_CONVERSATION_ID, user, user.followedFrom.get(GLOBAL_CONVERSATION_ID) ?? 0);
    }
    await Promise.all(firsts);
    await this.settle(30_000);
  }

  /** The first message of a group or direct conversation; every member then follows it from seq 0. */
  private async opening(sender: ChatUser, target: ChatTarget, group: ChatUser[]): Promise<SendAck> {
    const ack = await this.send(sender, target);
    for (const user of group) this.join(ack.conversationId, user, 0);
    return ack;
  }

  private join(conversationId: string, user: ChatUser, from: number): void {
    user.follow(conversationId, from);
    const members = this.members.get(conversationId) ?? new Set<ChatUser>();
    members.add(user);
    this.members.set(conversationId, members);
  }

  /** One message from a random open socket to one of its conversations. */
  sendOne(): void {
    const sender = pick(this.users.filter((u) => u.ready));
    const target = sender && pick(sender.targets);
    if (sender && target) this.send(sender, target).catch(() => undefined);
  }

  /** Cuts one random open socket. */
  dropOne(): void {
    pick(this.users.filter((u) => u.ready))?.drop();
  }

  private async send(sender: ChatUser, target: ChatTarget): Promise<SendAck> {
    this.sent += 1;
    const clientId = `s${sender.index}-${this.sent}`;
    const started = performance.now();
    this.sentAt.set(clientId, started);
    this.pending += 1;
    try {
      const ack = await sender.rt.send(target, messageText(clientId), clientId);
      this.recorder.record('chat.send', performance.now() - started);
      const seqs = this.acked.get(ack.conversationId) ?? new Map<number, string>();
      seqs.set(ack.seq, clientId);
      this.acked.set(ack.conversationId, seqs);
      return ack;
    } catch (error) {
      const outcome = error instanceof SocketError ? statusOfCode(error.code) : 'closed';
      this.recorder.record('chat.send', performance.now() - started, outcome);
      throw error;
    } finally {
      this.pending -= 1;
    }
  }

  /** Waits until every socket is open, every send settled and every member has every message. */
  async settle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.pending === 0 && this.users.every((u) => u.ready) && this.verify().lost === 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return false;
  }

  verify(): ChatVerdict {
    let expected = 0;
    let lost = 0;
    let duplicated = 0;
    let unexpected = 0;
    let acked = 0;
    for (const [conversationId, members] of this.members) {
      const seqs = this.acked.get(conversationId) ?? new Map<number, string>();
      acked += seqs.size;
      for (const user of members) {
        const from = user.followedFrom.get(conversationId) ?? 0;
        const got = user.received.get(conversationId) ?? new Map<number, number>();
        for (const seq of seqs.keys()) {
          if (seq <= from) continue;
          expected += 1;
          const times = got.get(seq) ?? 0;
          if (times === 0) lost += 1;
          if (times > 1) duplicated += times - 1;
        }
        for (const seq of got.keys()) if (seq > from && !seqs.has(seq)) unexpected += 1;
        for (const times of user.texts.get(conversationId)?.values() ?? [])
          if (times > 1) duplicated += times - 1;
      }
    }
    return {
      users: this.users.length,
      conversations: this.members.size,
      acked,
      expected,
      lost,
      duplicated,
      unexpected,
      unsettled: this.pending,
      wire: this.wire,
    };
  }

  close(): void {
    for (const user of this.users) user.close();
  }
}
