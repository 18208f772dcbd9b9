import { createTransport, type Transporter } from 'nodemailer';
import { MailSink } from './mail-sink.js';

/** A plain SMTP client with short waits, so a refused or silent sink fails the send quickly. */
function clientFor(sink: MailSink): Transporter {
  return createTransport({
    host: sink.host,
    port: sink.port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 1000,
    greetingTimeout: 1000,
    socketTimeout: 1000,
  });
}

describe('MailSink', () => {
  let sink: MailSink;
  let client: Transporter;

  beforeEach(async () => {
    sink = await MailSink.start({ rejectRecipients: (address) => address.startsWith('nobody@') });
    client = clientFor(sink);
  });

  afterEach(async () => {
    client.close();
    await sink.close();
  });

  it('keeps a received mail with its envelope, parsed body and headers', async () => {
    await client.sendMail({
      from: 'Acme <noreply@acme.test>',
      to: 'alice@acme.test',
      subject: 'Welcome',
      text: 'Hello Alice',
      html: '<p>Hello Alice</p>',
      headers: { 'X-Trace': 'abc' },
    });

    const mail = await sink.waitFor((m) => m.to.includes('alice@acme.test'));
    expect(mail).toMatchObject({
      id: 1,
      from: 'noreply@acme.test',
      to: ['alice@acme.test'],
      subject: 'Welcome',
      html: '<p>Hello Alice</p>',
    });
    expect(mail.text.trim()).toBe('Hello Alice');
    expect(mail.headers['x-trace']).toBe('abc');
    expect(mail.messageId).toMatch(/^<.+>$/);
    expect(sink.count()).toBe(1);
  });

  it('answers 550 for a rejected recipient and keeps nothing', async () => {
    await expect(
      client.sendMail({ from: 'noreply@acme.test', to: 'nobody@acme.test', subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    expect(sink.count()).toBe(0);
  });

  it('numbers mails in order of arrival and never reuses a number after clear()', async () => {
    await client.sendMail({ from: 'a@acme.test', to: 'b@acme.test', subject: 'one', text: '1' });
    sink.clear();
    await client.sendMail({ from: 'a@acme.test', to: 'b@acme.test', subject: 'two', text: '2' });
    expect(sink.messages().map((m) => [m.id, m.subject])).toEqual([[2, 'two']]);
  });

  it('refuses connections while stopped and accepts them again on the same port after restart()', async () => {
    const port = sink.port;
    await sink.stop();
    await expect(
      client.sendMail({ from: 'a@acme.test', to: 'b@acme.test', subject: 'x', text: 'x' }),
    ).rejects.toThrow();

    await sink.restart();
    expect(sink.port).toBe(port);
    await client.sendMail({ from: 'a@acme.test', to: 'b@acme.test', subject: 'back', text: 'x' });
    expect(sink.count((m) => m.subject === 'back')).toBe(1);
  });

  it('rejects waitFor after the timeout, naming the mails it holds', async () => {
    await client.sendMail({ from: 'a@acme.test', to: 'b@acme.test', subject: 'held', text: 'x' });
    await expect(sink.waitFor((m) => m.subject === 'missing', 50)).rejects.toThrow(
      /No mail matched within 50 ms; 1 held:\n {2}#1 .*subject="held"/,
    );
  });
});
