import type { StackConfig } from './config.js';
import { SERVICE_HOST, type ServiceSpec } from './service-table.js';

/** Where the local SMTP sink and its inbox page should listen. */
export interface MailSinkOptions {
  host: string;
  smtpPort: number;
  httpPort: number;
}

/** A running SMTP sink of this run with its inbox page. */
export interface LocalMailSink {
  readonly host: string;
  /** The port it actually listens on (differs from the option when that was 0). */
  readonly smtpPort: number;
  readonly inboxUrl: string;
  close(): Promise<void>;
}

export type StartMailSink = (options: MailSinkOptions) => Promise<LocalMailSink>;

/**
 * A local run catches mail in a sink unless the user names a real SMTP server, and only when a
 * service that sends mail runs at all (a sink nobody writes to would only hold two ports).
 */
export function wantsMailSink(
  config: Pick<StackConfig, 'SMTP_HOST'>,
  runnable: readonly Pick<ServiceSpec, 'sendsMail'>[],
): boolean {
  return config.SMTP_HOST === undefined && runnable.some((spec) => spec.sendsMail === true);
}

/** The sink's bind address and ports as the config asks for them. */
export function mailSinkOptions(config: Pick<StackConfig, 'MAIL_SINK_SMTP_PORT' | 'MAIL_SINK_HTTP_PORT'>) {
  return {
    host: SERVICE_HOST,
    smtpPort: config.MAIL_SINK_SMTP_PORT,
    httpPort: config.MAIL_SINK_HTTP_PORT,
  } satisfies MailSinkOptions;
}

/**
 * The SMTP_* settings a mail-sending service gets: the sink's (plain SMTP on loopback, no TLS), with
 * any inherited credentials dropped so a real server's password never reaches the sink. Without a
 * sink nothing is set, so the user's own SMTP_* pass through from the launcher's environment.
 */
export function smtpEnvFor(
  sink: Pick<LocalMailSink, 'host' | 'smtpPort'> | undefined,
): Record<string, string | undefined> {
  if (sink === undefined) return {};
  return {
    SMTP_HOST: sink.host,
    SMTP_PORT: String(sink.smtpPort),
    SMTP_SECURE: 'false',
    SMTP_REQUIRE_TLS: 'false',
    SMTP_USER: undefined,
    SMTP_PASSWORD: undefined,
  };
}
