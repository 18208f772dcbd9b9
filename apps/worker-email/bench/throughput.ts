import { randomBytes } from 'node:crypto';
import { Bus } from '@platform/bus';
import type { EmailSend } from '@platform/contracts';
import type { MailSink } from '@platform/mail-sink';
import { createLogger } from '@platform/observability';
import { MailSeal } from '@platform/runtime';
import { MailTracker, type Deliveries } from './mail-tracker.js';

/** Commands are sealed on the wire as the issuers' outbox seals them (the bench runs with the dev key). */
const seal = MailSeal.fromKeys(undefined);

export interface ThroughputRun {
  concurrency: number;
  count: number;
  /** First publish to the last mail received. */
  seconds: number;
  mailsPerSecond: number;
  /** How long publishing all of them took (the queue fills faster than the worker drains it). */
  publishSeconds: number;
  mail: Deliveries;
  /** worker-email's CPU seconds per mail, ms; filled in by the caller. */
  workerCpuMsPerMail?: number;
  /** Mean SMTP dialogue per mail (the worker's email_send_duration_seconds), ms; filled in by the caller. */
  smtpMeanMs?: number;
}

/**
 * worker-email alone: `count` welcome commands published straight to the `email` queue (what the
 * outbox relay does after a registration), timed from the first publish to the last mail received.
 * Published in chunks, because the bus holds at most 10 000 unconfirmed messages.
 */
export async function publishAndDrain(
  env: Record<string, string>,
  namespace: string,
  sink: MailSink,
  count: number,
  concurrency: number,
): Promise<ThroughputRun> {
  const bus = await Bus.connect({
    url: env.AMQP_URL ?? '',
    namespace,
    connectionName: 'worker-email-bench',
    logger: createLogger('bench', 'silent'),
  });
  const tracker = new MailTracker(sink);
  const run = randomBytes(3).toString('hex');
  const started = performance.now();
  try {
    for (let from = 0; from < count; from += 500) {
      const chunk = Array.from({ length: Math.min(500, count - from) }, (_, i) => {
        const to = `direct-${run}-${from + i}@example.com`;
        const payload: EmailSend = {
          template: 'welcome',
          to,
          userId: null,
          displayName: 'Bench',
          verifyUrl: null,
        };
        tracker.expect(to);
        return bus.publish({ queue: 'email' }, seal.envelope(payload));
      });
      await Promise.all(chunk);
    }
    const publishSeconds = (performance.now() - started) / 1000;
    const mail = await tracker.settle(120_000);
    const seconds = (mail.lastAt - started) / 1000;
    return { concurrency, count, seconds, mailsPerSecond: mail.delivered / seconds, publishSeconds, mail };
  } finally {
    await bus.close();
  }
}
