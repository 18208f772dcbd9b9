import {
  EMAIL_TEMPLATES,
  emailSendSchema,
  escapeHtml,
  type EmailSend,
  type EmailTemplate,
} from '@platform/contracts';
import { formatUtc, renderEmail, type Brand } from './index.js';

const brand: Brand = { productName: 'Acme', supportAddress: 'help@acme.test' };
const recipient = {
  to: 'alice@example.com',
  userId: '0b7e4c3a-5d1f-4c6e-9a2b-1f3e5d7c9b0a',
  displayName: 'Alice',
};

/** One valid message per template; typed so a new template is a compile error here too. */
const samples: { [T in EmailTemplate]: Extract<EmailSend, { template: T }> } = {
  welcome: { template: 'welcome', ...recipient, verifyUrl: 'https://acme.test/verify?token=w1' },
  verify_email: {
    template: 'verify_email',
    ...recipient,
    verifyUrl: 'https://acme.test/verify?token=v1',
    expiresAt: '2026-11-22T14:05:00.000Z',
  },
  password_reset: {
    template: 'password_reset',
    ...recipient,
    resetUrl: 'https://acme.test/reset?token=r1',
    expiresAt: '2026-11-22T15:30:00Z',
  },
  account_locked: {
    template: 'account_locked',
    ...recipient,
    lockedUntil: '2026-11-22T16:00:00Z',
    ip: '203.0.113.7',
    resetUrl: 'https://acme.test/reset?token=l1',
    unlockUrl: 'https://acme.test/unlock-account?token=u1',
  },
  account_invite: {
    template: 'account_invite',
    ...recipient,
    setPasswordUrl: 'https://acme.test/reset-password?token=i1',
    expiresAt: '2026-11-25T09:00:00Z',
  },
  password_changed: {
    template: 'password_changed',
    ...recipient,
    at: '2026-01-02T03:04:00Z',
    ip: '198.51.100.9',
  },
  email_changed: {
    template: 'email_changed',
    ...recipient,
    newEmail: 'mallory@example.net',
    at: '2026-12-06T10:00:00Z',
    ip: '192.0.2.44',
    revertUrl: 'https://acme.test/revert-email?token=e1',
    expiresAt: '2026-12-13T10:00:00Z',
  },
};

/** The data each template must show, in both the text and the HTML part. */
const keyData: { [T in EmailTemplate]: string[] } = {
  welcome: ['https://acme.test/verify?token=w1'],
  verify_email: ['https://acme.test/verify?token=v1', '22 Nov 2026, 14:05 UTC'],
  password_reset: [
    'https://acme.test/reset?token=r1',
    '22 Nov 2026, 15:30 UTC',
    'your password is unchanged',
  ],
  account_locked: [
    '22 Nov 2026, 16:00 UTC',
    '203.0.113.7',
    'https://acme.test/reset?token=l1',
    'https://acme.test/unlock-account?token=u1',
  ],
  account_invite: ['https://acme.test/reset-password?token=i1', '25 Nov 2026, 09:00 UTC'],
  password_changed: ['2 Jan 2026, 03:04 UTC', '198.51.100.9', 'If it was not you'],
  email_changed: [
    'mallory@example.net',
    '192.0.2.44',
    'https://acme.test/revert-email?token=e1',
    '13 Dec 2026, 10:00 UTC',
    'alice@example.com',
  ],
};

describe('renderEmail', () => {
  it.each(EMAIL_TEMPLATES)('renders %s with a subject, text and html carrying its data', (template) => {
    const message = samples[template];
    expect(emailSendSchema.parse(message)).toEqual(message);
    const mail = renderEmail(message, brand);
    expect(mail.subject).toContain('Acme');
    expect(mail.text).toContain('Hi Alice,');
    expect(mail.html).toContain('Hi Alice,');
    for (const data of keyData[template]) {
      expect(mail.text).toContain(data);
      expect(mail.html).toContain(escapeHtml(data));
    }
    expect(mail.text).toContain('help@acme.test');
    expect(mail.text).not.toMatch(/<[a-z]/i);
  });

  it('has a sample for every template of the contract', () => {
    expect(Object.keys(samples).sort()).toEqual([...EMAIL_TEMPLATES].sort());
  });

  it('escapes a display name in the html and keeps it readable in the text', () => {
    const displayName = '<script>alert("x")</script> & co';
    for (const template of EMAIL_TEMPLATES) {
      const mail = renderEmail({ ...samples[template], displayName }, brand);
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
      expect(mail.text).toContain(`Hi ${displayName},`);
    }
  });

  it('escapes a link inside the href attribute', () => {
    const verifyUrl = 'https://acme.test/verify?a=1&b="2"';
    const mail = renderEmail({ ...samples.welcome, verifyUrl }, brand);
    expect(mail.html).toContain('href="https://acme.test/verify?a=1&amp;b=&quot;2&quot;"');
    expect(mail.html).not.toContain('b="2"');
    expect(mail.text).toContain(verifyUrl);
  });

  it('tells a welcomed user to sign in when there is nothing to verify', () => {
    const mail = renderEmail({ ...samples.welcome, verifyUrl: null }, brand);
    expect(mail.text).toContain('You can sign in with alice@example.com');
    expect(mail.text).not.toContain('Verify');
    expect(mail.html).not.toContain('href="http');
  });

  it('reads a lock notice from a release before unlock links as having none', () => {
    const { unlockUrl, ...older } = samples.account_locked;
    expect(unlockUrl).not.toBeNull();
    const parsed = emailSendSchema.parse(older);
    expect(parsed).toMatchObject({ template: 'account_locked', unlockUrl: null });
    expect(renderEmail(parsed, brand).text).not.toContain('unlock-account');
  });

  it('leaves out an unknown IP and missing reset and unlock links from the lock notice', () => {
    const mail = renderEmail({ ...samples.account_locked, ip: null, resetUrl: null, unlockUrl: null }, brand);
    expect(mail.text).not.toContain('IP address');
    expect(mail.text).not.toContain('https://');
    expect(mail.text).toContain('22 Nov 2026, 16:00 UTC');
  });

  it('leaves out an unknown IP from the password change notice', () => {
    const mail = renderEmail({ ...samples.password_changed, ip: null }, brand);
    expect(mail.text).not.toContain('IP address');
    expect(mail.text).toContain('2 Jan 2026, 03:04 UTC');
  });

  it('works without a support address', () => {
    const mail = renderEmail(samples.password_changed, { productName: 'Acme' });
    expect(mail.text).toContain('contact support');
    expect(mail.html).not.toContain('mailto:');
  });
});

describe('formatUtc', () => {
  it('renders an instant in UTC whatever offset it was written with', () => {
    expect(formatUtc('2026-11-22T15:05:00+01:00')).toBe('22 Nov 2026, 14:05 UTC');
    expect(formatUtc('2026-12-31T23:59:59.999Z')).toBe('31 Dec 2026, 23:59 UTC');
  });

  it('returns a value it cannot parse unchanged rather than "NaN"', () => {
    expect(formatUtc('not a date')).toBe('not a date');
  });
});
