import { classifySmtpError, formatMessageId, Mailer, SmtpError, type MailerConfig } from './mailer.js';

/** An error shaped like the ones nodemailer hands to sendMail's caller. */
function nodemailerError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

function reply(code: string, responseCode: number, response: string, command: string): Error {
  return nodemailerError(`Failed: ${response}`, { code, responseCode, response, command });
}

describe('classifySmtpError', () => {
  it.each([
    [
      'a connection closed before the greeting',
      nodemailerError('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' }),
    ],
    [
      'a refused connection',
      nodemailerError('connect ECONNREFUSED 127.0.0.1:2525', {
        code: 'ESOCKET',
        originalCode: 'ECONNREFUSED',
        errno: -111,
        syscall: 'connect',
        address: '127.0.0.1',
        port: 2525,
        command: 'CONN',
      }),
    ],
    [
      'a connect timeout',
      nodemailerError('Connection timeout', {
        code: 'ETIMEDOUT',
        timeoutType: 'CONNECT_TIMEOUT',
        command: 'CONN',
      }),
    ],
    [
      'a greeting that never came',
      nodemailerError('Greeting never received', {
        code: 'ETIMEDOUT',
        timeoutType: 'GREETING_TIMEOUT',
        command: 'CONN',
      }),
    ],
    [
      'a failed STARTTLS handshake',
      nodemailerError('unable to verify the first certificate', { code: 'ETLS', command: 'CONN' }),
    ],
    [
      'an unresolvable host',
      nodemailerError('getaddrinfo ENOTFOUND smtp.invalid', {
        code: 'EDNS',
        originalCode: 'ENOTFOUND',
        command: 'CONN',
      }),
    ],
    [
      'a send aborted at its deadline',
      nodemailerError('Message sending aborted', { name: 'AbortError', code: 'EABORT' }),
    ],
    [
      'a bare Node socket error',
      nodemailerError('read ECONNRESET', { code: 'ECONNRESET', errno: -104, syscall: 'read' }),
    ],
    [
      'a greylisted recipient (450)',
      reply(
        'EENVELOPE',
        450,
        '450 4.2.0 <bob@example.com>: Recipient address rejected: Greylisted',
        'RCPT TO',
      ),
    ],
    ['a server shutting down (421)', reply('EENVELOPE', 421, '421 4.3.2 Service shutting down', 'MAIL FROM')],
    [
      'a temporary failure after DATA (451)',
      reply('EMESSAGE', 451, '451 4.3.0 Error: queue file write error', 'DATA'),
    ],
    ['a full mailbox (552)', reply('EENVELOPE', 552, '552 5.2.2 <bob@example.com>: Mailbox full', 'RCPT TO')],
    [
      'a bad command sequence (503)',
      reply('EENVELOPE', 503, '503 5.5.1 Error: need MAIL command', 'RCPT TO'),
    ],
    [
      'rejected credentials (535)',
      nodemailerError('Invalid login: 535 5.7.8 Authentication failed', {
        code: 'EAUTH',
        responseCode: 535,
        response: '535 5.7.8 Authentication failed',
        command: 'AUTH PLAIN',
      }),
    ],
    [
      'missing credentials',
      nodemailerError('Missing credentials for "PLAIN"', { code: 'EAUTH', command: 'API' }),
    ],
    ['a plain Error', new Error('something odd')],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
  ])('treats %s as transient', (_name, error) => {
    expect(classifySmtpError(error)).toBe('transient');
  });

  it.each([
    [
      'an unknown recipient (550)',
      nodemailerError(
        "Can't send mail - all recipients were rejected: 550 5.1.1 <bob@example.com>: User unknown",
        {
          code: 'EENVELOPE',
          responseCode: 550,
          response: '550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown',
          command: 'RCPT TO',
          rejected: ['bob@example.com'],
        },
      ),
    ],
    [
      'a rejected sender (553)',
      reply('EENVELOPE', 553, '553 5.7.1 <noreply@acme.test>: Sender address rejected', 'MAIL FROM'),
    ],
    ['content refused as spam (554)', reply('EMESSAGE', 554, '554 5.7.1 Message rejected as spam', 'DATA')],
    ['a policy rejection at the greeting (554)', reply('EPROTOCOL', 554, '554 5.7.1 Access denied', 'CONN')],
    [
      'a message over the advertised size',
      nodemailerError('Message size larger than allowed 10485760', {
        code: 'EMESSAGE',
        command: 'MAIL FROM',
      }),
    ],
    [
      'a message without recipients',
      nodemailerError('No recipients defined', { code: 'EENVELOPE', command: 'API' }),
    ],
  ])('treats %s as permanent', (_name, error) => {
    expect(classifySmtpError(error)).toBe('permanent');
  });

  it('keeps the verdict of an SmtpError', () => {
    expect(classifySmtpError(new SmtpError('x', { kind: 'permanent' }))).toBe('permanent');
    expect(classifySmtpError(new SmtpError('x', { kind: 'transient', responseCode: 550 }))).toBe('transient');
  });
});

describe('formatMessageId', () => {
  it('qualifies the id with the domain of the From address', () => {
    expect(formatMessageId('3f0c9a4e-1b2d-4c5e-8f7a-6b5c4d3e2f1a', 'Acme <No-Reply@Mail.Acme.test>')).toBe(
      '<3f0c9a4e-1b2d-4c5e-8f7a-6b5c4d3e2f1a@mail.acme.test>',
    );
    expect(formatMessageId('abc.1', 'noreply@acme.test')).toBe('<abc.1@acme.test>');
    expect(formatMessageId('abc', '"Acme, <Support>" <noreply@acme.test>')).toBe('<abc@acme.test>');
  });

  it('refuses an id that would need quoting in a header', () => {
    for (const id of ['', 'a b', 'a@b', 'a>b', 'a\r\nBcc: x@y']) {
      expect(() => formatMessageId(id, 'noreply@acme.test')).toThrow(SmtpError);
    }
  });
});

describe('Mailer', () => {
  const config: MailerConfig = {
    host: '127.0.0.1',
    port: 1,
    secure: false,
    requireTls: false,
    from: 'Acme <noreply@acme.test>',
    connectionTimeoutMs: 1000,
    socketTimeoutMs: 1000,
  };

  it('refuses a From address without a domain at construction', () => {
    expect(() => new Mailer({ ...config, from: 'Acme' })).toThrow('no usable domain');
  });

  it('rejects sends after close as transient, without touching the network', async () => {
    const mailer = new Mailer(config);
    mailer.close();
    const mail = { to: 'bob@example.com', subject: 's', text: 't', html: '<p>t</p>', messageId: 'm1' };
    await expect(mailer.send(mail)).rejects.toMatchObject({ name: 'SmtpError', kind: 'transient' });
  });
});
