import type { EmailSend } from '@platform/contracts';
import type { MikroORM } from '@platform/db';

/** What a claim on a message id found. */
export type Claim = 'claimed' | 'already_sent' | 'in_progress';

/**
 * The delivery log in `email_deliveries`, keyed by the command's envelope id: the claim that makes a
 * redelivered or republished `email.send` a no-op once its mail was handed to SMTP.
 *
 * A claim is a lease: if a worker dies mid-send, the lease runs out and the next delivery of the
 * message may send it. That leaves one window for a duplicate, between the SMTP server accepting the
 * mail and `markSent` committing; receivers can still drop it by its Message-ID (the envelope id).
 */
export class Deliveries {
  constructor(
    private readonly orm: MikroORM,
    private readonly leaseMs: number,
  ) {}

  async claim(messageId: string, mail: EmailSend): Promise<Claim> {
    const knex = this.orm.em.getKnex();
    const lease = knex.raw(`now() + make_interval(secs => ?)`, [this.leaseMs / 1000]);
    const claimed = await knex('email_deliveries')
      .insert({
        message_id: messageId,
        template: mail.template,
        recipient: mail.to,
        user_id: mail.userId,
        status: 'sending',
        attempts: 1,
        claimed_until: lease,
      })
      .onConflict('message_id')
      .merge({
        status: 'sending',
        attempts: knex.raw('email_deliveries.attempts + 1'),
        claimed_until: lease,
        last_error: null,
      })
      .where((qb) =>
        qb
          .where('email_deliveries.status', 'failed')
          .orWhere((q) =>
            q
              .where('email_deliveries.status', 'sending')
              .andWhere('email_deliveries.claimed_until', '<', knex.fn.now()),
          ),
      )
      .returning('message_id');
    if (claimed.length > 0) return 'claimed';
    const existing = await knex('email_deliveries').select('status').where('message_id', messageId).first();
    return existing?.status === 'sent' ? 'already_sent' : 'in_progress';
  }

  async markSent(messageId: string, smtpResponse: string): Promise<void> {
    await this.orm.em
      .getKnex()('email_deliveries')
      .where('message_id', messageId)
      .update({
        status: 'sent',
        sent_at: new Date(),
        smtp_response: smtpResponse.slice(0, 500),
        claimed_until: null,
      });
  }

  async markFailed(messageId: string, error: string): Promise<void> {
    await this.orm.em
      .getKnex()('email_deliveries')
      .where('message_id', messageId)
      .update({ status: 'failed', last_error: error.slice(0, 1_000), claimed_until: null });
  }
}
