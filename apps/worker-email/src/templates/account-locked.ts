import { type Block, type Brand, type EmailOf, type MailContent } from './content.js';
import { formatUtc } from './format-date.js';

/** Sent when repeated failed sign-ins lock the account, so the owner hears about a guessing attack. */
export function accountLockedContent(message: EmailOf<'account_locked'>, brand: Brand): MailContent {
  const until = formatUtc(message.lockedUntil);
  const rows: [string, string][] = [['Locked until', until]];
  if (message.ip !== null) rows.push(['Last attempt from IP address', message.ip]);
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: `After several failed sign-in attempts, your ${brand.productName} account has been temporarily locked.`,
    },
    { kind: 'facts', rows },
    { kind: 'paragraph', text: 'If it was you, you can sign in again after that time.' },
  ];
  if (message.unlockUrl !== null) {
    // The lock stays for everyone else: the link trusts only the browser that opens it.
    blocks.push(
      {
        kind: 'paragraph',
        text: 'To sign in now, open this link in the browser you want to use. It works once and only for you; the lock stays in place for anyone else:',
      },
      { kind: 'button', label: 'Unlock sign-in on this device', url: message.unlockUrl },
    );
  }
  if (message.resetUrl === null) {
    blocks.push({
      kind: 'paragraph',
      text: 'If it was not you, someone may be guessing your password: choose a new, unique one once the lock ends.',
    });
  } else {
    blocks.push(
      {
        kind: 'paragraph',
        text: 'If it was not you, someone may be guessing your password. Choose a new one now:',
      },
      { kind: 'button', label: 'Reset your password', url: message.resetUrl },
    );
  }
  return {
    subject: `Your ${brand.productName} account has been locked`,
    preheader: `Too many failed sign-in attempts. Locked until ${until}.`,
    greetingName: message.displayName,
    blocks,
  };
}
