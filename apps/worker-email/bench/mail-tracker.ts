import type { MailSink, ReceivedMail } from '@platform/mail-sink';

/** What the sink got for the addresses the bench expected mail at. */
export interface Deliveries {
  expected: number;
  delivered: number;
  /** Expected addresses that got no mail before the deadline. */
  lost: number;
  /** Mails beyond the first for one address. */
  duplicated: number;
  /** Mails to addresses the bench never announced (should be 0). */
  stray: number;
  /** Send -> mail received, ms, ascending. */
  latenciesMs: number[];
  /** performance.now() of the last first-mail, for throughput. */
  lastAt: number;
}

/**
 * Matches mails to the moment the bench caused them, by recipient: every address is used once, so the
 * first mail to it is the one, and a second is a duplicate. Timestamps are taken in the sink's 'mail'
 * event, after the sink has read and parsed the message, i.e. once SMTP handed it over.
 */
export class MailTracker {
  private readonly sentAt = new Map<string, number>();
  private readonly latency = new Map<string, number>();
  private duplicated = 0;
  private stray = 0;
  private lastAt = 0;
  private readonly onMail = (mail: ReceivedMail) => {
    const now = performance.now();
    for (const address of mail.to) {
      const sent = this.sentAt.get(address);
      if (sent === undefined) this.stray++;
      else if (this.latency.has(address)) this.duplicated++;
      else {
        this.latency.set(address, now - sent);
        this.lastAt = now;
      }
    }
  };

  constructor(private readonly sink: MailSink) {
    sink.on('mail', this.onMail);
  }

  /** Call just before the action that should send one mail to `address`. */
  expect(address: string): void {
    this.sentAt.set(address, performance.now());
  }

  /** Stops waiting for `address` (its request failed, so no mail is due). */
  forget(address: string): void {
    this.sentAt.delete(address);
  }

  get pending(): number {
    return this.sentAt.size - this.latency.size;
  }

  /** Waits until every expected mail is in (or `timeoutMs`), then `settleMs` more for duplicates. */
  async settle(timeoutMs = 30_000, settleMs = 1_000): Promise<Deliveries> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < deadline) await sleep(50);
    await sleep(settleMs);
    this.sink.off('mail', this.onMail);
    const latenciesMs = [...this.latency.values()].sort((a, b) => a - b);
    return {
      expected: this.sentAt.size,
      delivered: this.latency.size,
      lost: this.pending,
      duplicated: this.duplicated,
      stray: this.stray,
      latenciesMs,
      lastAt: this.lastAt,
    };
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
