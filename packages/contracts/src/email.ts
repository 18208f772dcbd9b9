import { z } from 'zod';

/*
 * `email.send`: a command to worker-email, sent straight to the `email` queue (never through the
 * `events` topic exchange, because links in it carry single-use tokens). Auth renders nothing: it says
 * which template, to whom, and the template's data; the worker owns wording, layout and SMTP.
 *
 * On the wire (the outbox table, the queue, its dead-letter queue) the command is sealed whole
 * (`sealedEmailSendSchema`): AES-256-GCM under EMAIL_SEAL_KEYS, bound to its envelope id, so a token
 * in a link is never stored or queued in clear and a sealed command cannot be replayed under another
 * id. The issuer's outbox seals it; worker-email opens it.
 */

const recipient = {
  to: z.email(),
  /** The account the mail is about, when there is one (for the delivery log). */
  userId: z.uuid().nullable(),
  displayName: z.string().min(1).max(100),
};

const httpUrl = z.url({ protocol: /^https?$/ });

export const emailSendSchema = z.discriminatedUnion('template', [
  z.object({ template: z.literal('welcome'), ...recipient, verifyUrl: httpUrl.nullable() }),
  z.object({
    template: z.literal('verify_email'),
    ...recipient,
    verifyUrl: httpUrl,
    expiresAt: z.iso.datetime(),
  }),
  z.object({
    template: z.literal('password_reset'),
    ...recipient,
    resetUrl: httpUrl,
    expiresAt: z.iso.datetime(),
  }),
  z.object({
    template: z.literal('account_locked'),
    ...recipient,
    lockedUntil: z.iso.datetime(),
    ip: z.string().nullable(),
    resetUrl: httpUrl.nullable(),
    /**
     * Opens the unlock page with a single-use token that makes that browser a trusted device, which
     * signs in despite the identifier's lock. Absent from messages of a release before it: none.
     */
    unlockUrl: httpUrl.nullable().default(null),
  }),
  z.object({
    template: z.literal('account_invite'),
    ...recipient,
    /** Opens the password-reset page with a token that sets the first password. */
    setPasswordUrl: httpUrl,
    expiresAt: z.iso.datetime(),
  }),
  z.object({
    template: z.literal('email_changed'),
    /** The old address: the one that can undo the change. */
    ...recipient,
    newEmail: z.email(),
    at: z.iso.datetime(),
    ip: z.string().nullable(),
    revertUrl: httpUrl,
    expiresAt: z.iso.datetime(),
  }),
  z.object({
    template: z.literal('password_changed'),
    ...recipient,
    at: z.iso.datetime(),
    ip: z.string().nullable(),
  }),
]);

export type EmailSend = z.infer<typeof emailSendSchema>;
export type EmailTemplate = EmailSend['template'];
export const EMAIL_TEMPLATES = emailSendSchema.options.map((option) => option.shape.template.value);

/** The `email.send` payload as stored and queued: `v1:kid:iv:tag:ciphertext` of the command's JSON. */
export const sealedEmailSendSchema = z.strictObject({
  sealed: z.string().regex(/^v1:[A-Za-z0-9_-]{1,32}:[\w-]+:[\w-]+:[\w-]*$/),
});
export type SealedEmailSend = z.infer<typeof sealedEmailSendSchema>;
