import { randomUUID } from 'node:crypto';
import { MailSink } from '@platform/testkit';
import { Mailer, SmtpError, type MailerConfig, type OutgoingMail } from '../../src/mailer.js';
import { renderEmail } from '../../src/templates/index.js';

const brand = { productName: 'Acme', supportAddress: 'help@acme.test' };

function configFor(sink: MailSink, overrides: Partial<MailerConfig> = {}): MailerConfig {
  return {
    host: sink.host,
    port: sink.port,
    secure: false,
    requireTls: false,
    from: 'Acme <noreply@acme.test>',
    connectionTimeoutMs: 5000,
    socketTimeoutMs: 5000,
    ...overrides,
  };
}

function welcomeMail(to: string): OutgoingMail & { verifyUrl: string } {
  const verifyUrl = `https://acme.test/verify?token=${randomUUID()}`;
  const rendered = renderEmail(
    { template: 'welcome', to, userId: randomUUID(), displayName: 'Alice', verifyUrl },
    brand,
  );
  return { to, ...rendered, messageId: randomUUID(), verifyUrl };
}

/** Resolves to the error a promise rejected with and how long that took. */
async function failure(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await promise;
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error('expected a rejection');
}

describe('Mailer against a real SMTP server', () => {
  let sink: MailSink;
  const mailers: Mailer[] = [];

  const mailerFor = (overrides: Partial<MailerConfig> = {}) => {
    const mailer = new Mailer(configFor(sink, overrides));
    mailers.push(mailer);
    return mailer;
  };

  beforeAll(async () => {
    sink = await MailSink.start({ rejectRecipients: (address) => address.startsWith('nobody@') });
  });

  afterEach(async () => {
    sink.stall(false);
    await sink.restart();
    for (const mailer of mailers.splice(0)) mailer.close();
  });

  afterAll(async () => {
    await sink.close();
  });

  it('delivers a rendered mail with its recipient, subject, parts and Message-ID', async () => {
    const mail = welcomeMail(`alice-${randomUUID()}@example.com`);
    const result = await mailerFor().send(mail);
    expect(result.accepted).toEqual([mail.to]);
    expect(result.response).toMatch(/^250 /);

    const received = await sink.waitFor((m) => m.to.includes(mail.to));
    expect(received.from).toBe('noreply@acme.test');
    expect(received.subject).toBe('Welcome to Acme');
    expect(received.text).toContain(mail.verifyUrl);
    expect(received.text).toContain('Hi Alice,');
    expect(received.html).toContain(mail.verifyUrl);
    expect(received.messageId).toBe(`<${mail.messageId}@acme.test>`);
    expect(received.headers['message-id']).toBe(`<${mail.messageId}@acme.test>`);
  });

  it('passes extra headers through but keeps its own Message-ID', async () => {
    const mail = welcomeMail(`bob-${randomUUID()}@example.com`);
    await mailerFor().send({
      ...mail,
      headers: { 'X-Envelope-Id': 'env-1', 'Message-ID': '<forged@evil.test>' },
    });
    const received = await sink.waitFor((m) => m.to.includes(mail.to));
    expect(received.headers['x-envelope-id']).toBe('env-1');
    expect(received.messageId).toBe(`<${mail.messageId}@acme.test>`);
  });

  it('verifies a reachable server', async () => {
    await expect(mailerFor().verify()).resolves.toBeUndefined();
  });

  it('fails fast and transient while the server is down', async () => {
    await sink.stop();
    const mailer = mailerFor({ connectionTimeoutMs: 5000, socketTimeoutMs: 5000 });
    const { error, ms } = await failure(mailer.send(welcomeMail('carol@example.com')));
    expect(error).toBeInstanceOf(SmtpError);
    expect(error).toMatchObject({ kind: 'transient' });
    expect(ms).toBeLessThan(1000);
    await expect(mailer.verify()).rejects.toMatchObject({ kind: 'transient' });
  });

  it('gives up on a server that accepts the connection but never greets, within its timeouts', async () => {
    sink.stall(true);
    const mailer = mailerFor({ connectionTimeoutMs: 500, socketTimeoutMs: 500 });
    const { error, ms } = await failure(mailer.send(welcomeMail('dave@example.com')));
    expect(error).toBeInstanceOf(SmtpError);
    expect(error).toMatchObject({ kind: 'transient', code: 'ETIMEDOUT' });
    expect(ms).toBeLessThan(2000);
  });

  it('delivers again once the server is back', async () => {
    await sink.stop();
    const mailer = mailerFor();
    await expect(mailer.send(welcomeMail('erin@example.com'))).rejects.toMatchObject({ kind: 'transient' });
    await sink.restart();
    const mail = welcomeMail(`erin-${randomUUID()}@example.com`);
    await mailer.send(mail);
    await expect(sink.waitFor((m) => m.to.includes(mail.to))).resolves.toMatchObject({
      subject: 'Welcome to Acme',
    });
  });

  it('reports a rejected recipient as permanent, with the reply code', async () => {
    const before = sink.count();
    const { error } = await failure(mailerFor().send(welcomeMail('nobody@example.com')));
    expect(error).toBeInstanceOf(SmtpError);
    expect(error).toMatchObject({ kind: 'permanent', responseCode: 550, code: 'EENVELOPE' });
    expect(sink.count()).toBe(before);
  });
});

describe('MailSink', () => {
  let sink: MailSink;

  afterEach(async () => {
    await sink.close();
  });

  const send = (to: string, overrides: Partial<MailerConfig> = {}) => {
    const mailer = new Mailer(configFor(sink, overrides));
    return mailer.send(welcomeMail(to)).finally(() => mailer.close());
  };

  it('says what did arrive when no mail matches in time', async () => {
    sink = await MailSink.start();
    await send('frank@example.com');
    await expect(sink.waitFor((m) => m.to.includes('grace@example.com'), 200)).rejects.toThrow(
      /No mail matched within 200 ms; 1 held:\n {2}#1 from=noreply@acme\.test to=frank@example\.com/,
    );
  });

  it('resolves a wait with a mail that arrives later, and keeps only the newest mails', async () => {
    sink = await MailSink.start({ maxMessages: 2 });
    const waiting = sink.waitFor((m) => m.to.includes('judy@example.com'));
    for (const to of ['heidi@example.com', 'ivan@example.com', 'judy@example.com']) await send(to);
    await expect(waiting).resolves.toMatchObject({ id: 3, to: ['judy@example.com'] });
    expect(sink.messages().map((m) => m.id)).toEqual([2, 3]);
    expect(sink.count((m) => m.to.includes('heidi@example.com'))).toBe(0);
    sink.clear();
    expect(sink.count()).toBe(0);
  });

  it('greets the connections it held once a stall ends', async () => {
    sink = await MailSink.start();
    sink.stall(true);
    const sending = send('mallory@example.com', { connectionTimeoutMs: 5000, socketTimeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.count()).toBe(0);
    sink.stall(false);
    await expect(sending).resolves.toMatchObject({ accepted: ['mallory@example.com'] });
  });

  it('stops and closes at once even with a client connected', async () => {
    sink = await MailSink.start();
    sink.stall(true);
    const sending = send('niaj@example.com', { connectionTimeoutMs: 5000, socketTimeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await sink.close();
    expect(performance.now() - started).toBeLessThan(500);
    await expect(sending).rejects.toMatchObject({ kind: 'transient' });
  });
});
