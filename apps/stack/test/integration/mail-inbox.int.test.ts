import type http from 'node:http';
import type { InboxMail } from '../../src/mail-inbox-html.js';
import { closeInbox, createInbox, listenInbox } from '../../src/mail-inbox.js';
import { request } from './http-helpers.js';

const mails: InboxMail[] = [
  {
    id: 1,
    from: 'no-reply@platform.test',
    to: ['ada@example.com'],
    subject: 'Verify your email',
    text: 'Open http://localhost/verify?token=abc',
    html: '<p>Open <a href="http://localhost/verify?token=abc">this</a></p><script>parent.alert(1)</script>',
    messageId: '<1@platform.test>',
    headers: { subject: 'Verify your email' },
    receivedAt: new Date('2025-01-01T10:00:00.000Z'),
  },
];

let server: http.Server;
let url: string;

beforeAll(async () => {
  server = createInbox(() => mails);
  url = await listenInbox(server, 0, '127.0.0.1');
});

afterAll(() => closeInbox(server));

describe('mail inbox', () => {
  it('GET / lists the mail as HTML that may run no script', async () => {
    const answer = await request(`${url}/`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(answer.body).toContain('<a href="/messages/1">Verify your email</a>');
  });

  it('GET /messages/:id shows the mail with its HTML body in a sandboxed frame', async () => {
    const answer = await request(`${url}/messages/1`);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<iframe sandbox="allow-popups allow-popups-to-escape-sandbox"');
    expect(answer.body).toContain('&lt;script&gt;parent.alert(1)&lt;/script&gt;');
    expect(answer.body).not.toContain('<script>');
  });

  it('GET /api/messages returns the mail as JSON', async () => {
    const answer = await request(`${url}/api/messages?x=1`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(answer.body)).toEqual([
      expect.objectContaining({ id: 1, to: ['ada@example.com'], receivedAt: '2025-01-01T10:00:00.000Z' }),
    ]);
  });

  it('answers 404 for an unknown mail or path and 405 for anything but GET and HEAD', async () => {
    expect((await request(`${url}/messages/2`)).status).toBe(404);
    expect((await request(`${url}/messages/abc`)).status).toBe(404);
    expect((await request(`${url}/nothing`)).status).toBe(404);
    const post = await request(`${url}/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });
});
