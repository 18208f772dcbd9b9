import { type EmailSend, type EmailTemplate } from '@platform/contracts';

/** What the worker knows about the product it mails for; comes from config, never from a message. */
export interface Brand {
  productName: string;
  /** Where a worried reader can write; omitted from the footer when not configured. */
  supportAddress?: string | undefined;
}

/** The `email.send` variant of one template, e.g. `EmailOf<'welcome'>`. */
export type EmailOf<T extends EmailTemplate> = Extract<EmailSend, { template: T }>;

/**
 * One piece of a mail body. Templates describe their mail as blocks of plain strings and the layout
 * renders each block twice (HTML and text), so escaping happens in one place and a template cannot
 * forget it.
 */
export type Block =
  | { kind: 'paragraph'; text: string }
  /** A call to action; in text it becomes the label followed by the bare URL. */
  | { kind: 'button'; label: string; url: string }
  /** Label/value rows such as "When" and "IP address". */
  | { kind: 'facts'; rows: readonly (readonly [label: string, value: string])[] }
  /** Small print under the main content. */
  | { kind: 'note'; text: string };

/** A template's output before layout: the subject, who to greet and the body blocks. */
export interface MailContent {
  subject: string;
  /** A line shown by mail clients next to the subject; not visible in the body. */
  preheader: string;
  greetingName: string;
  blocks: Block[];
}

/** The finished mail, ready for the mailer. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}
