import { type Brand, type EmailOf, type MailContent } from './content.js';
import { formatUtc } from './format-date.js';

/**
 * Sent to the old address when the account's address changes. If someone else changed it, this is
 * the owner's only way back in: the link restores this address and signs every session out.
 */
export function emailChangedContent(message: EmailOf<'email_changed'>, brand: Brand): MailContent {
  const expires = formatUtc(message.expiresAt);
  const rows: [string, string][] = [
    ['New address', message.newEmail],
    ['When', formatUtc(message.at)],
  ];
  if (message.ip !== null) rows.push(['IP address', message.ip]);
  return {
    subject: `The email address of your ${brand.productName} account was changed`,
    preheader: `Not you? Undo it before ${expires}.`,
    greetingName: message.displayName,
    blocks: [
      {
        kind: 'paragraph',
        text: `The email address of your ${brand.productName} account is no longer ${message.to}.`,
      },
      { kind: 'facts', rows },
      { kind: 'paragraph', text: 'If this was you, there is nothing else to do.' },
      {
        kind: 'paragraph',
        text:
          'If it was not you, undo the change: your account gets this address back and every device ' +
          'is signed out. Then choose a new password with "Forgot password" on the sign-in page.',
      },
      { kind: 'button', label: 'This was not me: undo the change', url: message.revertUrl },
      { kind: 'note', text: `This link works once, until ${expires}.` },
    ],
  };
}
