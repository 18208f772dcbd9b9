import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MessagePage, MessageView } from './chat.types.js';

/** How long a cached page lives without being read or changed; bounds the cost of an idle conversation. */
const PAGE_TTL_SECONDS = 600;
/** The version counter outlives any page built against it, so a late writer can never match a reset one. */
const VERSION_TTL_SECONDS = 86_400;

// Writes the page only if nothing changed the conversation since the reader took its version: a
// reader that raced a send, edit, delete or reaction drops its (possibly stale) page instead.
const FILL = `
local current = redis.call('GET', KEYS[2]) or '0'
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

/**
 * The newest history page of each conversation, in Redis, shared by every instance: opening a
 * conversation (the first `chat.history` or GET .../messages without `before`) reads one key instead
 * of the messages, their conversation and their reactions. Every change to a message of the
 * conversation (send, edit, delete, reaction, archiving) bumps its version and drops the page after
 * the change commits; the next reader rebuilds it. A Redis flush or outage only costs hits: every
 * error falls back to PostgreSQL and is never the client's problem.
 */
export class RecentCache {
  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    private readonly onResult: (result: 'hit' | 'miss' | 'error') => void = () => undefined,
  ) {}

  /** The cached newest page, or null (miss or Redis trouble). */
  async read(conversationId: string): Promise<MessagePage | null> {
    try {
      const json = await this.redis.get(pageKey(conversationId));
      this.onResult(json === null ? 'miss' : 'hit');
      return json === null ? null : (JSON.parse(json) as MessagePage);
    } catch (error) {
      this.onResult('error');
      this.log.warn({ err: error, conversationId }, 'recent-message cache read failed');
      return null;
    }
  }

  /** The newest message of each cached page among these conversations; misses are absent. */
  async lastMessages(conversationIds: readonly string[]): Promise<Map<string, MessageView>> {
    const found = new Map<string, MessageView>();
    if (conversationIds.length === 0) return found;
    try {
      const pages = await this.redis.mget(...conversationIds.map(pageKey));
      pages.forEach((json, i) => {
        const conversationId = conversationIds[i];
        const last = json === null ? undefined : (JSON.parse(json) as MessagePage).messages.at(-1);
        if (conversationId && last) found.set(conversationId, last);
      });
    } catch (error) {
      this.log.warn({ err: error }, 'recent-message cache read failed');
    }
    return found;
  }

  /** The version to hand back to `fill`; taken before reading the database. */
  async version(conversationId: string): Promise<string | null> {
    try {
      return (await this.redis.get(versionKey(conversationId))) ?? '0';
    } catch {
      return null;
    }
  }

  /** Stores `page` unless the conversation changed since `version` was taken. */
  async fill(conversationId: string, version: string | null, page: MessagePage): Promise<void> {
    if (version === null) return;
    try {
      await this.redis.eval(
        FILL,
        2,
        pageKey(conversationId),
        versionKey(conversationId),
        version,
        JSON.stringify(page),
        PAGE_TTL_SECONDS,
      );
    } catch (error) {
      this.log.warn({ err: error, conversationId }, 'recent-message cache fill failed');
    }
  }

  /** After a change commits: a new version (stops fills in flight) and no page. */
  async invalidate(conversationIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(conversationIds)];
    if (ids.length === 0) return;
    try {
      const multi = this.redis.multi();
      for (const id of ids) {
        multi.incr(versionKey(id)).expire(versionKey(id), VERSION_TTL_SECONDS).del(pageKey(id));
      }
      await multi.exec();
    } catch (error) {
      // The page may now be stale until its TTL: said loudly, since that is a correctness gap.
      this.log.error({ err: error, conversationIds: ids }, 'recent-message cache invalidation failed');
    }
  }
}

const pageKey = (conversationId: string) => `chat:recent:${conversationId}`;
const versionKey = (conversationId: string) => `chat:recent:v:${conversationId}`;
