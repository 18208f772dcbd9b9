import { type Brand, type EmailOf, type MailContent } from './content.js';

/** Sent after sign-up: with a verify link when the address still needs proving, else a sign-in hint. */
export function welcomeContent(message: EmailOf<'welcome'>, brand: Brand): MailContent {
  const intro = `Welcome to ${brand.productName}! Your account has been created.`;
  if (message.verifyUrl === null) {
    return {
      subject: `Welcome to ${brand.productName}`,
      preheader: 'Your account is ready.',
      greetingName: message.displayName,
      blocks: [
        { kind: 'paragraph', text: intro },
        { kind: 'paragraph', text: `You can sign in with ${message.to} right away.` },
      ],
    };
  }
  return {
    subject: `Welcome to ${brand.productName}`,
    preheader: 'Confirm your email address to finish setting up your account.',
    greetingName: message.displayName,
    blocks: [
      { kind: 'paragraph', text: intro },
      { kind: 'paragraph', text: 'Please confirm that this email address is yours:' },
      { kind: 'button', label: 'Verify email address', url: message.verifyUrl },
      { kind: 'note', text: 'If you did not create this account, you can ignore this email.' },
    ],
  };
}
