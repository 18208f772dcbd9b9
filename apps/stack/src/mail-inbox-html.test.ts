import {
  messagesJson,
  newestFirst,
  renderInboxPage,
  renderMessagePage,
  type InboxMail,
} from './mail-inbox-html.js';

let nextId = 1;

function mail(overrides: Partial<InboxMail> = {}): InboxMail {
  const id = nextId++;
  return {
    id,
    from: 'platform <no-reply@platform.test>',
    to: ['ada@example.com'],
    subject: `Mail ${id}`,
    text: 'Hello',
    html: '<p>Hello</p>',
    messageId: `<${id}@platform.test>`,
    headers: { 'x-mailer': 'test' },
    receivedAt: new Date('2025-01-01T10:00:00.000Z'),
    ...overrides,
  };
}

const HOSTILE = `<script>alert("x")</script><img src=x onerror='alert(1)'>&`;

describe('newestFirst', () => {
  it('orders by arrival time, newest first, then by id', () => {
    const early = mail({ receivedAt: new Date('2025-01-01T09:00:00Z') });
    const late = mail({ receivedAt: new Date('2025-01-01T11:00:00Z') });
    const sameA = mail({ receivedAt: new Date('2025-01-01T10:00:00Z') });
    const sameB = mail({ receivedAt: new Date('2025-01-01T10:00:00Z') });
    expect(newestFirst([early, sameA, late, sameB]).map((m) => m.id)).toEqual([
      late.id,
      sameB.id,
      sameA.id,
      early.id,
    ]);
  });
});

describe('renderInboxPage', () => {
  it('lists time, recipients and a link to each mail, newest first', () => {
    const older = mail({ subject: 'Welcome', receivedAt: new Date('2025-01-01T09:00:00Z') });
    const newer = mail({ subject: 'Reset your password', to: ['a@x.io', 'b@x.io'] });
    const html = renderInboxPage([older, newer]);
    expect(html).toContain('2025-01-01 10:00:00');
    expect(html).toContain('a@x.io, b@x.io');
    expect(html).toContain(`<a href="/messages/${newer.id}">Reset your password</a>`);
    expect(html.indexOf('Reset your password')).toBeLessThan(html.indexOf('Welcome'));
  });

  it('escapes subjects and recipients', () => {
    const html = renderInboxPage([mail({ subject: HOSTILE, to: ['"><script>@x.io'] })]);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('says so when no mail has arrived yet', () => {
    expect(renderInboxPage([])).toContain('No mail yet');
  });
});

describe('renderMessagePage', () => {
  it('shows the HTML body only inside a sandboxed srcdoc frame without scripts', () => {
    const html = renderMessagePage(mail({ html: HOSTILE }));
    const frame = /<iframe sandbox="([^"]*)"[^>]* srcdoc="([^"]*)"><\/iframe>/.exec(html);
    expect(frame).not.toBeNull();
    expect(frame?.[1]).not.toMatch(/allow-scripts|allow-same-origin/);
    expect(frame?.[2]).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(frame?.[2]).toContain('onerror=&#39;alert(1)&#39;');
    // Outside the frame attribute, nothing of the mail appears as markup.
    expect(html.replace(frame?.[0] ?? '', '')).not.toMatch(/<script|<img/);
  });

  it('escapes the text body, envelope and headers', () => {
    const html = renderMessagePage(
      mail({ text: HOSTILE, from: '<evil@x.io>', subject: HOSTILE, headers: { '<h>': HOSTILE }, html: null }),
    );
    expect(html).not.toMatch(/<script|<img|<evil|<h>/);
    expect(html).toContain('&lt;evil@x.io&gt;');
    expect(html).toContain('No HTML part.');
  });
});

describe('messagesJson', () => {
  it('returns every mail newest first with ISO dates', () => {
    const older = mail({ receivedAt: new Date('2025-01-01T09:00:00Z') });
    const newer = mail();
    const parsed = JSON.parse(messagesJson([older, newer])) as { id: number; receivedAt: string }[];
    expect(parsed.map((m) => m.id)).toEqual([newer.id, older.id]);
    expect(parsed[0]).toMatchObject({ ...newer, receivedAt: '2025-01-01T10:00:00.000Z' });
  });
});
