import { type Brand, type EmailOf, type MailContent } from './content.js';
import { formatUtc } from './format-date.js';

/** Asks the reader to prove they own the address; the link carries a single-use token. */
export function verifyEmailContent(message: EmailOf<'verify_email'>, brand: Brand): MailContent {
  const expires = formatUtc(message.expiresAt);
  return {
    subject: `Verify your email address for ${brand.productName}`,
    preheader: `Confirm your email address before ${expires}.`,
    greetingName: message.displayName,
    blocks: [
      { kind: 'paragraph', text: `Please confirm that ${message.to} is your email address.` },
      { kind: 'button', label: 'Verify email address', url: message.verifyUrl },
      { kind: 'paragraph', text: `This link expires on ${expires} and can be used once.` },
      { kind: 'note', text: 'If you did not ask for this, you can ignore this email.' },
    ],
  };
}
