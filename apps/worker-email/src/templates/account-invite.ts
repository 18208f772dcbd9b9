import { type Brand, type EmailOf, type MailContent } from './content.js';
import { formatUtc } from './format-date.js';

/** An administrator created the account: the recipient picks their own password through the link. */
export function accountInviteContent(message: EmailOf<'account_invite'>, brand: Brand): MailContent {
  const expires = formatUtc(message.expiresAt);
  return {
    subject: `You have been invited to ${brand.productName}`,
    preheader: 'Choose a password to start using your account.',
    greetingName: message.displayName,
    blocks: [
      {
        kind: 'paragraph',
        text: `An administrator created a ${brand.productName} account for ${message.to}.`,
      },
      { kind: 'button', label: 'Choose your password', url: message.setPasswordUrl },
      { kind: 'paragraph', text: `This link expires on ${expires} and can be used once.` },
      { kind: 'note', text: 'If you did not expect this, you can ignore this email.' },
    ],
  };
}
