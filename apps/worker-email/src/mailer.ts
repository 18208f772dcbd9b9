import {
  createTransport,
  type SMTPSentMessageInfo,
  type SMTPTransportOptions,
  type Transporter,
} from 'nodemailer';
import { type Logger } from '@platform/observability';

/** How to reach the SMTP relay. Every wait is bounded so a dead or hung relay fails a send, never stalls it. */
export interface MailerConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  /** Refuse to send unless the connection was upgraded with STARTTLS. */
  requireTls: boolean;
  user?: string | undefined;
  password?: string | undefined;
  /** The From header, `addr@domain` or `Name <addr@domain>`; its domain also qualifies the Message-ID. */
  from: string;
  /** Bound on the TCP (and TLS) connect. */
  connectionTimeoutMs: number;
  /** Bound on any silence from the server: the greeting and every reply after it. */
  socketTimeoutMs: number;
}

/** One rendered mail to one recipient. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Globally unique; becomes the Message-ID header so receivers can drop a redelivered copy. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface SendResult {
  /** The server's final reply, e.g. `250 2.0.0 Ok: queued as 4F2B1`. */
  response: string;
  accepted: string[];
}

/**
 * `transient`: another attempt later may succeed (connection trouble, 4xx, our own setup);
 * `permanent`: this message as it is will never be accepted (5xx about the recipient or content).
 */
export type SmtpErrorKind = 'transient' | 'permanent';

/** Every failure of {@link Mailer}, classified so the consumer can choose between retry and dead-letter. */
export class SmtpError extends Error {
  override readonly name = 'SmtpError';
  readonly kind: SmtpErrorKind;
  /** The SMTP reply code, when the server answered at all. */
  readonly responseCode?: number;
  /** Nodemailer's or Node's error code, e.g. `ECONNECTION`, `EENVELOPE`. */
  readonly code?: string;

  constructor(
    message: string,
    details: { kind: SmtpErrorKind; responseCode?: number; code?: string; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.kind = details.kind;
    if (details.responseCode !== undefined) this.responseCode = details.responseCode;
    if (details.code !== undefined) this.code = details.code;
  }
}

/*
 * Classification. The question is "can this very message succeed on a later attempt?", not "was the
 * reply 5xx?": a 5xx about our credentials says nothing about the message, and declaring it permanent
 * would dead-letter every mail until someone rotated a secret.
 */

/** About our side (credentials, settings): fixable without touching the message, so retry. */
const SENDER_SIDE_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'EREQUIRETLS']);
/** The message itself is unusable (no valid recipient, too large, bad content): retrying cannot help. */
const MESSAGE_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'ESTREAM', 'EMAXRECIPIENTS', 'EOTP']);
/**
 * 552 "exceeded storage allocation" is mostly a full mailbox, which its owner empties, and RFC 5321
 * (4.5.3.1.10) asks clients to treat 552 for too many recipients as temporary; the consumer's retry
 * limit bounds the cost when the mailbox stays full. 503 "bad sequence" is a confused session, not a
 * verdict on the message (nodemailer reasons the same way).
 */
const RETRYABLE_5XX = new Set([503, 552]);

/** Whether a send error is worth retrying; anything unrecognised counts as transient. */
export function classifySmtpError(error: unknown): SmtpErrorKind {
  if (error instanceof SmtpError) return error.kind;
  const { code, responseCode } = errorFields(error);
  if (code !== undefined && SENDER_SIDE_CODES.has(code)) return 'transient';
  if (responseCode !== undefined) {
    if (responseCode >= 500 && responseCode < 600 && !RETRYABLE_5XX.has(responseCode)) return 'permanent';
    return 'transient';
  }
  // No reply code: connection refused or reset, timeouts, DNS, TLS and socket errors (ECONNECTION,
  // ESOCKET, ETIMEDOUT, EDNS, ETLS, EPROTOCOL, EABORT...) all land on transient below.
  if (code !== undefined && MESSAGE_CODES.has(code)) return 'permanent';
  return 'transient';
}

/** `<messageId@domain-of-from>`; throws when the id cannot stand in a header as it is. */
export function formatMessageId(messageId: string, from: string): string {
  return qualifyMessageId(messageId, domainOf(from));
}

function qualifyMessageId(messageId: string, domain: string): string {
  // RFC 5322 dot-atom text: an id that needed quoting or escaping would not compare equal downstream.
  if (!/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,200}$/.test(messageId)) {
    throw new SmtpError(`messageId ${JSON.stringify(messageId)} cannot be used in a Message-ID header`, {
      kind: 'permanent',
    });
  }
  return `<${messageId}@${domain}>`;
}

/**
 * Sends mail over SMTP with nodemailer.
 *
 * One connection per send, no pool. Every send then carries its own connect, greeting and idle timeouts
 * and fails with its own error; a pool would queue sends behind a hung connection without a deadline
 * of their own and silently requeue messages when a connection drops. Concurrency is already bounded
 * by the consumer's prefetch, and transactional volumes make the extra handshake cheap.
 */
export class Mailer {
  private readonly transport: Transporter<SMTPSentMessageInfo, SMTPTransportOptions>;
  private readonly domain: string;
  /**
   * A hard cap on a whole send. The socket timeout only measures silence, so a server that trickles
   * one byte a second could hold a send forever; the cap leaves room for a connect, a greeting and
   * two slow replies (DATA is typically the slow one, while the server scans the message).
   */
  private readonly deadlineMs: number;
  private readonly closing = new AbortController();

  constructor(
    private readonly config: MailerConfig,
    private readonly logger?: Logger,
  ) {
    // Parsed once so a From without a domain fails at start-up rather than on the first send.
    this.domain = domainOf(config.from);
    this.deadlineMs = config.connectionTimeoutMs + 3 * config.socketTimeoutMs;
    this.transport = createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      requireTLS: config.requireTls,
      auth: config.user ? { user: config.user, pass: config.password } : undefined,
      connectionTimeout: config.connectionTimeoutMs,
      greetingTimeout: config.socketTimeoutMs,
      socketTimeout: config.socketTimeoutMs,
      dnsTimeout: config.connectionTimeoutMs,
      // nodemailer's own logging is off: at debug level it would write message bodies, and their
      // links carry single-use tokens. Failures are logged below, without credentials or content.
      logger: false,
      debug: false,
    });
  }

  /** Sends one mail; resolves once the server accepted it, else throws a classified {@link SmtpError}. */
  async send(mail: OutgoingMail): Promise<SendResult> {
    if (this.closing.signal.aborted) throw new SmtpError('mailer is closed', { kind: 'transient' });
    const messageId = qualifyMessageId(mail.messageId, this.domain);
    const deadline = AbortSignal.timeout(this.deadlineMs);
    try {
      const info = await this.transport.sendMail({
        from: this.config.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId,
        headers: withoutMessageId(mail.headers),
        signal: AbortSignal.any([deadline, this.closing.signal]),
      });
      return { response: info.response, accepted: info.accepted.map(String) };
    } catch (error) {
      const reason = deadline.aborted
        ? `SMTP exchange did not finish within ${this.deadlineMs} ms`
        : this.closing.signal.aborted
          ? 'mailer was closed during the send'
          : undefined;
      const smtpError = toSmtpError(error, reason);
      this.logger?.warn(
        { messageId, kind: smtpError.kind, code: smtpError.code, responseCode: smtpError.responseCode },
        `smtp send failed: ${smtpError.message}`,
      );
      throw smtpError;
    }
  }

  /** Connects, greets and authenticates without sending: a readiness check for start-up. */
  async verify(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (error) {
      throw toSmtpError(error);
    }
  }

  /** Stops the mailer; sends still in flight are aborted, so drain the consumer first. */
  close(): void {
    this.closing.abort();
    this.transport.close();
  }
}

function toSmtpError(error: unknown, reason?: string): SmtpError {
  if (error instanceof SmtpError) return error;
  const { code, responseCode, message } = errorFields(error);
  return new SmtpError(reason ?? message ?? String(error), {
    kind: classifySmtpError(error),
    ...(responseCode === undefined ? {} : { responseCode }),
    ...(code === undefined ? {} : { code }),
    cause: error,
  });
}

/** Reads the fields nodemailer (and Node) put on their errors, whatever was thrown. */
function errorFields(error: unknown): { code?: string; responseCode?: number; message?: string } {
  if (typeof error !== 'object' || error === null) return {};
  const { code, responseCode, message } = error as Record<string, unknown>;
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof responseCode === 'number' ? { responseCode } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

/** The Message-ID is ours to set: a caller's header of the same name would break dedupe downstream. */
function withoutMessageId(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!headers) return undefined;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'message-id'));
}

/** The domain of `addr@domain` or `Name <addr@domain>`, lower-cased. */
function domainOf(from: string): string {
  const address = /<([^<>]*)>\s*$/.exec(from)?.[1] ?? from;
  const domain = address
    .slice(address.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
  if (!address.includes('@') || !/^[a-z0-9.-]+$/.test(domain)) {
    throw new Error(`mail from address ${JSON.stringify(from)} has no usable domain`);
  }
  return domain;
}
