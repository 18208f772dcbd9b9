import { createEnvelope } from '@platform/bus';
import {
  emailSendSchema,
  sealedEmailSendSchema,
  type EmailSend,
  type Envelope,
  type SealedEmailSend,
} from '@platform/contracts';
import { insecureDevKeyring, parseKeyring, SecretBox } from '@platform/tokens';

/** Why a queued `email.send` could not be opened: never retryable, so the worker dead-letters it. */
export class UnsealableMailError extends Error {
  override name = 'UnsealableMailError';
}

/** The associated data of a sealed command: its envelope id, so it opens under that id only. */
const contextOf = (envelopeId: string) => `email.send:${envelopeId}`;

/**
 * Seals `email.send` commands for the outbox and opens them in worker-email. The links in a mail carry
 * single-use tokens (verification, reset, invitation, undo): sealed, they are never in clear in the
 * outbox table, the queue or its dead-letter queue, and the recipient's address is not either.
 */
export class MailSeal {
  constructor(private readonly box: SecretBox) {}

  /** From EMAIL_SEAL_KEYS, or (unset, outside production: config refuses production) the marked dev key. */
  static fromKeys(spec: string | undefined): MailSeal {
    return new MailSeal(new SecretBox(spec ? parseKeyring(spec) : insecureDevKeyring('email')));
  }

  seal(envelopeId: string, mail: EmailSend): SealedEmailSend {
    return { sealed: this.box.seal(JSON.stringify(mail), contextOf(envelopeId)) };
  }

  /** Opens and validates a queued command; throws `UnsealableMailError` saying why, never its content. */
  open(envelope: Envelope): EmailSend {
    const wire = sealedEmailSendSchema.safeParse(envelope.payload);
    if (!wire.success) throw new UnsealableMailError('the email.send payload is not sealed');
    let json: string;
    try {
      json = this.box.open(wire.data.sealed, contextOf(envelope.id));
    } catch (error) {
      throw new UnsealableMailError(
        `the email.send payload does not open (${error instanceof Error ? error.message : 'unknown'})`,
      );
    }
    const mail = emailSendSchema.safeParse(JSON.parse(json));
    if (!mail.success) throw new UnsealableMailError(`invalid email.send command: ${mail.error.message}`);
    return mail.data;
  }

  /** A ready `email.send` envelope: for tests, benches and tools that publish a mail directly. */
  envelope(mail: EmailSend): Envelope<SealedEmailSend> {
    const envelope = createEnvelope('email.send', mail);
    return { ...envelope, payload: this.seal(envelope.id, mail) };
  }
}
