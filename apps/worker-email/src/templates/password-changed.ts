import { type Brand, type EmailOf, type MailContent } from './content.js';
import { formatUtc } from './format-date.js';

/**
 * Confirms a password change to the old owner of the account: if an attacker changed it, this mail is
 * how the owner finds out, so it says exactly what to do next.
 */
export function passwordChangedContent(message: EmailOf<'password_changed'>, brand: Brand): MailContent {
  const when = formatUtc(message.at);
  const rows: [string, string][] = [['When', when]];
  if (message.ip !== null) rows.push(['IP address', message.ip]);
  const contact = brand.supportAddress ? ` and write to ${brand.supportAddress}` : ' and contact support';
  return {
    subject: `Your ${brand.productName} password was changed`,
    preheader: `Your password was changed on ${when}.`,
    greetingName: message.displayName,
    blocks: [
      { kind: 'paragraph', text: `The password of your ${brand.productName} account was changed.` },
      { kind: 'facts', rows },
      { kind: 'paragraph', text: 'If this was you, there is nothing else to do.' },
      {
        kind: 'paragraph',
        text:
          'If it was not you, reset your password at once with "Forgot password" on the sign-in page' +
          `${contact}: someone else may have access to your account.`,
      },
    ],
  };
}
