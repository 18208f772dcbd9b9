import { Counter, Gauge, Histogram } from 'prom-client';
import { PermanentFailure } from '@platform/bus';
import { QUEUES, type EmailSend, type Envelope } from '@platform/contracts';
import { MailSeal, UnsealableMailError, type BaseResources, type RunningWorker } from '@platform/runtime';
import type { EmailConfig } from './config.js';
import { Deliveries } from './deliveries.js';
import { Mailer, SmtpError } from './mailer.js';
import { SmtpGate } from './smtp-gate.js';
import { renderEmail } from './templates/index.js';

/**
 * Consumes `email.send` commands: open (they are sealed), validate, claim the message id, render, send
 * over SMTP, record.
 *
 * - A command that does not open (unknown key, altered, not sealed), an invalid command, or a recipient the server refuses for good (5xx): dead-lettered with the reason.
 * - Already sent (a redelivery, or the outbox relay publishing twice): acked without sending.
 * - SMTP unreachable: the mail is held (unacked) until the server answers, without spending attempts;
 *   the prefetch bounds how many are held. Temporary refusals (4xx) are retried a few times in
 *   process, then through the bus's delayed retry queues.
 */
export async function startEmailWorker(
  resources: BaseResources,
  config: EmailConfig,
): Promise<RunningWorker> {
  const { bus, orm, log, registry } = resources;
  const mailer = new Mailer(
    {
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: config.SMTP_SECURE,
      requireTls: config.SMTP_REQUIRE_TLS,
      user: config.SMTP_USER,
      password: config.SMTP_PASSWORD,
      from: config.MAIL_FROM,
      connectionTimeoutMs: config.SMTP_CONNECTION_TIMEOUT_MS,
      socketTimeoutMs: config.SMTP_SOCKET_TIMEOUT_MS,
    },
    log,
  );
  // A send can take at most the mailer's hard cap; the claim must outlive it.
  const leaseMs = config.SMTP_CONNECTION_TIMEOUT_MS + 3 * config.SMTP_SOCKET_TIMEOUT_MS + 30_000;
  const deliveries = new Deliveries(orm, leaseMs);
  const gate = new SmtpGate(() => mailer.verify(), log);
  const brand = { productName: config.MAIL_PRODUCT_NAME, supportAddress: config.MAIL_SUPPORT_ADDRESS };
  const metrics = emailMetrics(registry, gate);
  const seal = MailSeal.fromKeys(config.EMAIL_SEAL_KEYS);
  if (!config.EMAIL_SEAL_KEYS)
    log.warn('EMAIL_SEAL_KEYS is unset: mail commands open with an INSECURE dev key');

  const handle = async (envelope: Envelope): Promise<void> => {
    if (envelope.type !== 'email.send')
      throw new PermanentFailure(`worker-email does not handle ${envelope.type}`);
    let mail: EmailSend;
    try {
      mail = seal.open(envelope);
    } catch (error) {
      if (error instanceof UnsealableMailError) throw new PermanentFailure(error.message);
      throw error;
    }
    const claim = await deliveries.claim(envelope.id, mail);
    if (claim === 'already_sent') return void metrics.duplicates.inc();
    if (claim === 'in_progress') throw new Error('another worker is sending this message right now');

    const rendered = renderEmail(mail, brand);
    const stopTimer = metrics.duration.startTimer({ template: mail.template });
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await mailer.send({ to: mail.to, ...rendered, messageId: envelope.id });
        await deliveries.markSent(envelope.id, result.response);
        metrics.sent.inc({ template: mail.template });
        stopTimer();
        return;
      } catch (error) {
        const kind = error instanceof SmtpError ? error.kind : 'transient';
        metrics.failed.inc({ template: mail.template, kind });
        const done = kind === 'permanent' || gate.isStopped || attempt >= config.EMAIL_SEND_ATTEMPTS;
        if (done) {
          await deliveries.markFailed(envelope.id, String(error)).catch(() => undefined);
          if (kind === 'permanent')
            throw new PermanentFailure(`the SMTP server refused the mail: ${String(error)}`);
          throw error;
        }
        if (!(await gate.reachable())) {
          // An outage is not this mail's fault: wait for the server without counting the attempt.
          attempt--;
          await gate.waitUntilReachable();
        } else {
          await new Promise((resolve) => setTimeout(resolve, Math.min(1_000 * 2 ** (attempt - 1), 15_000)));
        }
      }
    }
  };

  const consumer = await bus.consume(QUEUES.email, handle, { prefetch: config.EMAIL_CONCURRENCY });
  return {
    async stop() {
      gate.stop();
      await consumer.cancel();
      mailer.close();
    },
  };
}

function emailMetrics(registry: BaseResources['registry'], gate: SmtpGate) {
  return {
    sent: new Counter({
      name: 'email_sent_total',
      help: 'Mails the SMTP server accepted, by template',
      labelNames: ['template'],
      registers: [registry],
    }),
    failed: new Counter({
      name: 'email_send_failures_total',
      help: 'Failed send attempts, by template and kind (transient, permanent)',
      labelNames: ['template', 'kind'],
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'email_duplicates_skipped_total',
      help: 'email.send commands skipped because their mail was already sent',
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'email_send_duration_seconds',
      help: 'From the first send attempt to the SMTP server accepting the mail, by template',
      labelNames: ['template'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
      registers: [registry],
    }),
    up: new Gauge({
      name: 'email_smtp_up',
      help: '1 while the last contact with the SMTP server succeeded',
      registers: [registry],
      collect() {
        this.set(gate.up ? 1 : 0);
      },
    }),
  };
}
