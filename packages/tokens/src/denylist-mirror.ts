import type { Redis } from 'ioredis';
import type { AccessClaims } from '@platform/contracts';
import { denylistChannel, type DenylistKind } from './denylist.js';

/** Where the mirror reports trouble (a pino logger fits). */
export interface MirrorLogger {
  warn(object: object, message: string): void;
}

const RELOAD_RETRY_MS = 1000;
const PRUNE_EVERY_MS = 60_000;

/**
 * The denylist copied into this process's memory, for callers that must decide synchronously: the
 * socket tier accepts a WebSocket inside uWS's own upgrade handler (see its README, "uWS notes").
 *
 * It subscribes to the channel every `Denylist` write publishes to, then loads what Redis already holds
 * (SCAN), and again after every reconnect, so nothing revoked while it was disconnected is missed.
 * Until a load has completed after the latest (re)connect, `check` answers `undefined`: the caller
 * must then ask Redis itself. A revocation reaches the mirror as fast as Redis pub/sub delivers it
 * (well under a millisecond on one network); the entries expire when the tokens would have.
 */
export class DenylistMirror {
  /** `<kind>:<id>` -> expiry in ms since the epoch. */
  private readonly entries = new Map<string, number>();
  private readonly channel: string;
  private readonly prefix: string;
  private subscriber: Redis | null = null;
  private current = false;
  /** Bumped on every disconnect, so a load that straddles one does not mark the copy current. */
  private epoch = 0;
  private pruner: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly redis: Redis,
    private readonly log: MirrorLogger,
  ) {
    this.channel = denylistChannel(redis);
    this.prefix = redis.options.keyPrefix ?? '';
  }

  /** Subscribes and loads; resolves once the copy is current, or after `timeoutMs` (then it keeps trying). */
  async start(timeoutMs = 5000): Promise<void> {
    const subscriber = this.redis.duplicate({ keyPrefix: '', enableAutoPipelining: false });
    this.subscriber = subscriber;
    subscriber.on('error', (error: unknown) => this.log.warn({ err: error }, 'denylist mirror: redis error'));
    subscriber.on('message', (_channel: string, message: string) => this.apply(message));
    subscriber.on('close', () => {
      this.current = false;
      this.epoch++;
    });
    subscriber.on('ready', () => void this.load(this.epoch));
    this.pruner = setInterval(() => this.prune(), PRUNE_EVERY_MS);
    this.pruner.unref();
    const deadline = Date.now() + timeoutMs;
    while (!this.current && !this.stopped && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** True if the token or its session is revoked; `undefined` while the copy is not known to be current. */
  check(claims: Pick<AccessClaims, 'jti' | 'sid'>, now = Date.now()): boolean | undefined {
    if (!this.current) return undefined;
    return this.live(`jti:${claims.jti}`, now) || this.live(`sid:${claims.sid}`, now);
  }

  /** Whether `check` can answer now. */
  isCurrent(): boolean {
    return this.current;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current = false;
    if (this.pruner) clearInterval(this.pruner);
    this.subscriber?.disconnect();
    this.subscriber = null;
  }

  /** Subscribes (again: a reconnect may not have restored it yet), then copies every entry Redis holds. */
  private async load(epoch: number): Promise<void> {
    const subscriber = this.subscriber;
    if (!subscriber || this.stopped) return;
    try {
      await subscriber.subscribe(this.channel);
      // Entries published from here on arrive as messages; the scan covers everything before.
      const keys = await this.scanKeys();
      const expiries = await this.expiries(keys);
      const now = Date.now();
      keys.forEach((key, index) => {
        const ttl = expiries[index] ?? -2;
        if (ttl > 0) this.remember(key.slice(this.prefix.length + 'dl:'.length), now + ttl);
      });
      if (epoch === this.epoch && !this.stopped) this.current = true;
    } catch (error) {
      this.log.warn({ err: error }, 'denylist mirror: load failed; retrying');
      setTimeout(() => {
        if (epoch === this.epoch) void this.load(epoch);
      }, RELOAD_RETRY_MS).unref();
    }
  }

  /** Full key names (prefix included) of every denylist entry, by SCAN: never blocks Redis like KEYS. */
  private scanKeys(): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const keys: string[] = [];
      // MATCH is not key-prefixed by ioredis: the pattern carries the prefix itself.
      const stream = this.redis.scanStream({ match: `${this.prefix}dl:*`, count: 1000 });
      stream.on('data', (batch: string[]) => {
        keys.push(...batch);
      });
      stream.on('end', () => resolve(keys));
      stream.on('error', reject);
    });
  }

  /** Remaining lifetime in ms of each key (full names), read without the client's key prefix. */
  private async expiries(keys: readonly string[]): Promise<number[]> {
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    // The client adds its prefix to keys; these already carry it.
    for (const key of keys) pipeline.pttl(key.slice(this.prefix.length));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, ttl]) => (error ? -2 : Number(ttl)));
  }

  /** A published revocation: `<kind>:<id>:<expires at ms>`. */
  private apply(message: string): void {
    const match = /^(jti|sid):(.+):(\d+)$/.exec(message);
    if (!match?.[1] || !match[2] || !match[3]) return;
    this.remember(`${match[1] as DenylistKind}:${match[2]}`, Number(match[3]));
  }

  /** Records `<kind>:<id>` as revoked until `expiresAt` (ms since the epoch). */
  remember(entry: string, expiresAt: number): void {
    this.entries.set(entry, Math.max(expiresAt, this.entries.get(entry) ?? 0));
  }

  private live(entry: string, now: number): boolean {
    const expiresAt = this.entries.get(entry);
    return expiresAt !== undefined && expiresAt > now;
  }

  private prune(now = Date.now()): void {
    for (const [entry, expiresAt] of this.entries) if (expiresAt <= now) this.entries.delete(entry);
  }
}
