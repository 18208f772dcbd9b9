import { type EmailSend } from '@platform/contracts';
import { accountInviteContent } from './account-invite.js';
import { accountLockedContent } from './account-locked.js';
import { type Brand, type MailContent, type RenderedEmail } from './content.js';
import { emailChangedContent } from './email-changed.js';
import { renderLayout } from './layout.js';
import { passwordChangedContent } from './password-changed.js';
import { passwordResetContent } from './password-reset.js';
import { verifyEmailContent } from './verify-email.js';
import { welcomeContent } from './welcome.js';

export { formatUtc } from './format-date.js';
export type { Brand, RenderedEmail } from './content.js';

/** Renders an `email.send` command into the subject, plain text and HTML the mailer sends. */
export function renderEmail(message: EmailSend, brand: Brand): RenderedEmail {
  return renderLayout(contentFor(message, brand), brand);
}

function contentFor(message: EmailSend, brand: Brand): MailContent {
  switch (message.template) {
    case 'welcome':
      return welcomeContent(message, brand);
    case 'verify_email':
      return verifyEmailContent(message, brand);
    case 'password_reset':
      return passwordResetContent(message, brand);
    case 'account_locked':
      return accountLockedContent(message, brand);
    case 'account_invite':
      return accountInviteContent(message, brand);
    case 'password_changed':
      return passwordChangedContent(message, brand);
    case 'email_changed':
      return emailChangedContent(message, brand);
    default: {
      // A template added to the contract without a case here fails to compile on this line. Only the
      // template name goes into the error: the rest of the message carries single-use tokens.
      const unhandled: never = message;
      throw new Error(
        `no renderer for email template ${String((unhandled as { template: unknown }).template)}`,
      );
    }
  }
}
