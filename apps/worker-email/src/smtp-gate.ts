import type { Logger } from '@platform/observability';

/**
 * One shared view of whether the SMTP server answers. When a send fails, handlers ask the gate; while
 * the server is unreachable they all wait on the same probe loop (one connection attempt at a time,
 * backing off to `maxDelayMs`) instead of each spending retry attempts, or hammering a recovering server.
 */
export class SmtpGate {
  private probing: Promise<void> | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  up = true;

  constructor(
    private readonly verify: () => Promise<void>,
    private readonly log: Logger,
    private readonly delays = { initialMs: 500, maxDelayMs: 30_000 },
  ) {}

  /** True if the server answers right now (connect, greeting, auth). */
  async reachable(): Promise<boolean> {
    try {
      await this.verify();
      this.up = true;
      return true;
    } catch {
      this.up = false;
      return false;
    }
  }

  /** Resolves once the server answers again, or when the gate is stopped. */
  waitUntilReachable(): Promise<void> {
    this.probing ??= this.probe().finally(() => (this.probing = null));
    return this.probing;
  }

  /** Releases every waiter (shutdown); their messages go back to the broker. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private async probe(): Promise<void> {
    this.log.warn('SMTP server unreachable; holding mails until it answers');
    for (
      let delay = this.delays.initialMs;
      !this.stopped;
      delay = Math.min(delay * 2, this.delays.maxDelayMs)
    ) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
      if (this.stopped) return;
      if (await this.reachable()) {
        this.log.info('SMTP server reachable again; resuming');
        return;
      }
    }
  }
}
