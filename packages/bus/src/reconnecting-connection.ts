import amqp, { type ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { DEFAULT_BACKOFF, reconnectDelay, type BackoffOptions } from './backoff.js';

const CONNECT_TIMEOUT_MS = 10_000;

/** How long `close` waits for channel users (and the owner's `beforeClose`) unless told otherwise. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

/** Something consuming on a channel of its own, started again on every new connection. */
export interface ChannelUser {
  /** Whether it has a channel on the current connection. */
  readonly running: boolean;
  /** Opens its channel on `model`; a no-op while it already runs or once stopped. */
  start(model: ChannelModel): Promise<void>;
  /** Forgets its channel after the connection died. */
  detach(): void;
  /** Stops for good, giving deliveries in flight up to `timeoutMs` to settle. */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * The log lines that differ between owners. Each owner spells its own out in full, rather than the core
 * building them from a prefix, so that a message an alert matches on can still be found by searching.
 */
export interface ConnectionMessages {
  restarting: string;
  lost: string;
  reestablished: string;
  reconnectFailed: string;
}

/** Where and how to connect: the fields that `BusOptions` and `SubscriberOptions` share. */
export interface ConnectionSettings {
  url: string;
  connectionName: string;
  reconnect?: Partial<BackoffOptions>;
  /** AMQP heartbeat unless the URL sets one (default 30). */
  heartbeatSeconds?: number;
  closeTimeoutMs?: number;
}

/** What an owner adds to a `ReconnectingConnection`: its logger, its log lines and its own steps. */
export interface ConnectionHooks {
  logger: Logger;
  messages: ConnectionMessages;
  /**
   * Runs first on every new connection, before the channel users start (the Bus opens its publish
   * channel and asserts the topology here). What it returns runs once the connection is adopted.
   */
  prepare?: (model: ChannelModel) => Promise<() => void>;
  /** The current connection went away (its channels with it), before any reconnect is scheduled. */
  lost?: () => void;
  /** Extra fields of the "lost" log line. */
  lostContext?: () => Record<string, unknown>;
  /** During `close`, once the channel users stopped and before the connection closes. */
  beforeClose?: (timeoutMs: number) => Promise<void>;
}

/**
 * One AMQP connection kept alive: connects, starts its channel users, and after a loss reconnects with
 * capped, jittered backoff and starts them again on the new connection. Shared by `Bus` and `Subscriber`,
 * which each own one, so that the two never drift apart on the subtle parts (a loss during set-up, a
 * channel user added while connecting, a close during a backoff).
 */
export class ReconnectingConnection {
  private model: ChannelModel | null = null;
  private closingNow = false;
  private closed: Promise<void> | null = null;
  private reconnectLoop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  /** Connections that closed or were asked to, so a set-up in progress on one of them gives up. */
  private readonly dead = new WeakSet<ChannelModel>();
  private readonly channelUsers = new Set<ChannelUser>();
  private readonly backoff: BackoffOptions;
  private readonly closeTimeoutMs: number;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly hooks: ConnectionHooks,
  ) {
    this.backoff = { ...DEFAULT_BACKOFF, ...settings.reconnect };
    this.closeTimeoutMs = settings.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  }

  /** The live connection, or null while disconnected. */
  get current(): ChannelModel | null {
    return this.model;
  }

  /** True from the moment `close` is called. */
  get closing(): boolean {
    return this.closingNow;
  }

  /** The channel users that `add` registered and `remove` has not taken back. */
  get users(): Iterable<ChannelUser> {
    return this.channelUsers;
  }

  /** One attempt: connect, then set up; rejects if either fails (at the first call: bad settings). */
  async open(): Promise<void> {
    const { url, connectionName, heartbeatSeconds = 30 } = this.settings;
    const { logger } = this.hooks;
    const model = await amqp.connect(withHeartbeat(url, heartbeatSeconds), {
      clientProperties: { connection_name: connectionName },
      timeout: CONNECT_TIMEOUT_MS,
    });
    model.on('error', (error: unknown) => logger.warn({ err: error }, 'amqp connection error'));
    // A close during set-up comes before this.model is set, where onConnectionLost would ignore it.
    model.on('close', () => {
      this.dead.add(model);
      this.onConnectionLost(model);
    });
    try {
      const adopt = this.hooks.prepare ? await this.hooks.prepare(model) : undefined;
      // add() calls that land while we connect bring users that the first pass did not see.
      for (let idle = this.idleUsers(); idle.length > 0; idle = this.idleUsers()) {
        for (const user of idle) await user.start(model);
        if (this.dead.has(model)) break;
      }
      if (this.dead.has(model)) throw new Error('the connection closed while it was being set up');
      this.model = model;
      adopt?.();
    } catch (error) {
      await model.close().catch(() => undefined);
      throw error;
    }
  }

  /** Starts `user` now if connected and again after every reconnect; rejects if it cannot start here. */
  async add(user: ChannelUser): Promise<void> {
    this.channelUsers.add(user);
    const model = this.model;
    if (!model) return;
    try {
      await user.start(model);
    } catch (error) {
      // Lost with the connection: the reconnect starts it. Otherwise (e.g. no such queue) it is the caller's.
      if (this.model === model) {
        this.channelUsers.delete(user);
        throw error;
      }
    }
  }

  /** Forgets `user` and stops it, letting its deliveries in flight settle. */
  async remove(user: ChannelUser): Promise<void> {
    this.channelUsers.delete(user);
    await user.stop(this.closeTimeoutMs);
  }

  /** Drops `model` because one of its channels died, so that everything is rebuilt on a fresh one. */
  restart(model: ChannelModel, reason: string): void {
    // Even while closing: a set-up still in progress on `model` must not adopt it.
    this.dead.add(model);
    if (this.closingNow) return;
    if (this.model === model) {
      this.hooks.logger.warn({ reason }, this.hooks.messages.restarting);
      this.onConnectionLost(model);
    }
    model.close().catch(() => undefined);
  }

  /** Stops reconnecting, stops every channel user, runs `beforeClose`, then closes the connection. */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  private async shutdown(): Promise<void> {
    this.closingNow = true;
    this.wakeUp?.();
    await this.reconnectLoop;
    await Promise.all([...this.channelUsers].map((user) => user.stop(this.closeTimeoutMs)));
    this.channelUsers.clear();
    await this.hooks.beforeClose?.(this.closeTimeoutMs);
    const model = this.model;
    this.model = null;
    await model
      ?.close()
      .catch((error: unknown) => this.hooks.logger.debug({ err: error }, 'amqp close failed'));
  }

  private idleUsers(): ChannelUser[] {
    return [...this.channelUsers].filter((user) => !user.running);
  }

  private onConnectionLost(model: ChannelModel): void {
    if (this.model !== model) return;
    this.model = null;
    this.hooks.lost?.();
    for (const user of this.channelUsers) user.detach();
    if (this.closingNow) return;
    this.hooks.logger.warn(this.hooks.lostContext?.() ?? {}, this.hooks.messages.lost);
    this.reconnectLoop ??= this.reconnect();
  }

  private async reconnect(): Promise<void> {
    const { logger, messages } = this.hooks;
    try {
      for (let attempt = 0; !this.closingNow && !this.model; attempt++) {
        await this.sleep(reconnectDelay(attempt, this.backoff));
        if (this.closingNow) return;
        try {
          await this.open();
          logger.info({ attempts: attempt + 1 }, messages.reestablished);
        } catch (error) {
          logger.warn({ err: error, attempts: attempt + 1 }, messages.reconnectFailed);
        }
      }
    } finally {
      // Synchronously with the loop's end, so a loss right after this finds no loop and starts one.
      this.reconnectLoop = null;
    }
  }

  /** A backoff wait that `close` can cut short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
    });
  }
}

/** Adds a heartbeat to the URL unless it has one: amqplib's default of 0 never notices a dead peer. */
function withHeartbeat(url: string, seconds: number): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(seconds));
  return parsed.toString();
}
