import { type Brand, type EmailOf, type MailContent } from './content.js';
import { formatUtc } from './format-date.js';

/**
 * The reset link. Anyone can request one for any address, so the mail says plainly that ignoring it
 * is safe: the reader who did not ask should not be alarmed into clicking.
 */
export function passwordResetContent(message: EmailOf<'password_reset'>, brand: Brand): MailContent {
  const expires = formatUtc(message.expiresAt);
  return {
    subject: `Reset your ${brand.productName} password`,
    preheader: `Your password reset link expires on ${expires}.`,
    greetingName: message.displayName,
    blocks: [
      {
        kind: 'paragraph',
        text: `Someone asked to reset the password of the ${brand.productName} account for ${message.to}.`,
      },
      { kind: 'button', label: 'Choose a new password', url: message.resetUrl },
      { kind: 'paragraph', text: `This link expires on ${expires} and can be used once.` },
      {
        kind: 'note',
        text: 'If you did not ask for this, ignore this email: your password is unchanged and nobody can change it without this link.',
      },
    ],
  };
}
