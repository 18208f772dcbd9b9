import { MailSink } from '@platform/mail-sink';
import type { LocalMailSink, MailSinkOptions } from './local-mail.js';
import { closeInbox, createInbox, listenInbox } from './mail-inbox.js';

/**
 * Starts the SMTP sink and the inbox page over it. The only module that loads @platform/mail-sink's code;
 * main.ts imports it lazily, so a run with a real SMTP server never does.
 */
export async function startLocalMailSink(options: MailSinkOptions): Promise<LocalMailSink> {
  const sink = await MailSink.start({ port: options.smtpPort, host: options.host });
  const inbox = createInbox(() => sink.messages());
  let inboxUrl: string;
  try {
    inboxUrl = await listenInbox(inbox, options.httpPort, options.host);
  } catch (error) {
    await sink.close();
    throw error;
  }
  return {
    host: sink.host,
    smtpPort: sink.port,
    inboxUrl,
    close: async () => {
      await Promise.all([closeInbox(inbox), sink.close()]);
    },
  };
}
