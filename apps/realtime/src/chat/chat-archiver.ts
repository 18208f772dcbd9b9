import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { archiveBatch } from './archive.queries.js';
import type { Db } from './chat-db.js';

export interface ArchiverOptions {
  /** CHAT_ARCHIVE_AFTER_DAYS: messages older than this move to the archive; 0 turns archiving off. */
  afterDays: number;
  /** CHAT_ARCHIVE_BATCH_SIZE: messages per transaction. */
  batchSize: number;
  /** CHAT_ARCHIVE_INTERVAL_MINUTES: how often a pass starts. */
  intervalMinutes: number;
  /** Pause between batches, so a long backlog never holds the hot table's locks or I/O for long. */
  pauseMs?: number;
}

/**
 * Moves old messages to the archive (see `archiveBatch`). Every realtime instance runs one; a pass
 * takes the deployment-wide advisory lock per batch, so instances never archive at once and one that
 * dies mid-pass leaves nothing half done. History, sync and search read both tables, so clients
 * notice nothing but the `archived` flag.
 */
export class ChatArchiver {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly db: () => Db,
    private readonly options: ArchiverOptions,
    private readonly log: Logger,
    private readonly archived: Counter,
    /** Told which conversations lost messages to the archive (their cached pages are stale). */
    private readonly onArchived: (conversationIds: readonly string[]) => Promise<void> = async () => {},
  ) {}

  start(): void {
    if (this.options.afterDays === 0) return;
    const every = this.options.intervalMinutes * 60_000;
    // The first pass a minute after start, not at once: a rolling restart should not start them all together.
    const schedule = (delay: number) => {
      this.timer = setTimeout(() => {
        void this.runOnce()
          .catch((error: unknown) => this.log.warn({ err: error }, 'chat archive pass failed'))
          .finally(() => {
            if (!this.stopped) schedule(every);
          });
      }, delay);
      this.timer.unref();
    };
    schedule(Math.min(every, 60_000));
  }

  /** One pass: batches until nothing old is left, another instance holds the lock, or `stop`. */
  runOnce(now = new Date()): Promise<number> {
    if (this.options.afterDays === 0) return Promise.resolve(0);
    this.running ??= (async () => {
      const cutoff = new Date(now.getTime() - this.options.afterDays * 86_400_000);
      let total = 0;
      try {
        while (!this.stopped) {
          const moved = await archiveBatch(this.db(), cutoff, this.options.batchSize);
          if (moved === null || moved.length === 0) break;
          total += moved.length;
          this.archived.inc(moved.length);
          await this.onArchived(moved);
          if (moved.length < this.options.batchSize) break;
          await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs ?? 50));
        }
        if (total > 0) this.log.info({ archived: total, cutoff }, 'chat messages archived');
        return total;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Stops scheduling and waits for a pass in progress to finish its current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
