import { z } from 'zod';
import {
  bool,
  emailSealFragment,
  port,
  positiveInt,
  requiredInProduction,
  workerFragment,
} from '@platform/config';

/** Everything worker-email reads from the environment, with defaults (a local SMTP sink on 1025). */
export const emailConfigSchema = z
  .object({
    ...workerFragment(3005, 9105),
    /** Opens the sealed `email.send` commands; the same keys as the issuers'. */
    ...emailSealFragment,
    SMTP_HOST: z.string().min(1).default('127.0.0.1'),
    SMTP_PORT: port(1025),
    /** Implicit TLS (port 465). */
    SMTP_SECURE: bool(false),
    /** Refuse to send unless the server offers STARTTLS. */
    SMTP_REQUIRE_TLS: bool(false),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASSWORD: z.string().min(1).optional(),
    SMTP_CONNECTION_TIMEOUT_MS: positiveInt(10_000),
    /** Longest silence from the server during a send. */
    SMTP_SOCKET_TIMEOUT_MS: positiveInt(20_000),
    MAIL_FROM: z.string().min(3).default('Platform <no-reply@platform.localhost>'),
    MAIL_PRODUCT_NAME: z.string().min(1).default('Platform'),
    MAIL_SUPPORT_ADDRESS: z.email().optional(),
    /** Mails sent at once (the consumer's prefetch). */
    EMAIL_CONCURRENCY: positiveInt(4),
    /**
     * Tries per message while the SMTP server is reachable but refuses it temporarily (4xx). Time the
     * server is unreachable does not count: the worker waits for it instead.
     */
    EMAIL_SEND_ATTEMPTS: positiveInt(5),
  })
  .superRefine(requiredInProduction('EMAIL_SEAL_KEYS'));

export type EmailConfig = z.infer<typeof emailConfigSchema>;
