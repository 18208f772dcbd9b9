import { randomBytes } from 'node:crypto';
import { createEnvelope } from '@platform/bus';
import type { EmailSend } from '@platform/contracts';
import { MailSeal } from '@platform/runtime';
import { TcpProxy } from '@platform/test-services';
import { STRONG_PASSWORD, eventually, hostPort, mailWorld, verifyToken, type MailWorld } from './harness.js';

const welcome = (to: string): EmailSend => ({
  template: 'welcome',
  to,
  userId: null,
  displayName: 'Ada',
  verifyUrl: 'https://app.example.test/verify-email?token=abc',
});

/** Mail commands are sealed on the wire, as the issuers' outbox does (the tests run with the dev key). */
const seal = MailSeal.fromKeys(undefined);
const mailEnvelope = (mail: EmailSend) => seal.envelope(mail);

describe('worker-email', () => {
  let world: MailWorld;

  beforeAll(async () => {
    world = await mailWorld();
  });
  afterAll(async () => {
    await world.close();
  });
  beforeEach(() => world.sink.clear());

  it('register -> exactly one welcome mail with a working verification link', async () => {
    const worker = await world.startWorker();
    const { api, stop } = await world.startAuth();
    try {
      const email = `ada-${Date.now()}@example.com`;
      const registered = await api.post('/register', {
        body: { email, password: STRONG_PASSWORD, displayName: 'Ada' },
      });
      expect(registered.status).toBe(201);

      const mail = await world.sink.waitFor((m) => m.to.includes(email), 10_000);
      expect(mail.subject).toMatch(/welcome/i);
      expect(mail.text).toContain('Ada');
      expect(mail.html).toContain('https://app.example.test/verify-email?token=');
      const token = verifyToken(mail.text);

      expect((await api.post('/email/verify', { body: { token } })).status).toBe(204);
      const reused = await api.post('/email/verify', { body: { token } });
      expect(reused.status).toBe(400);
      expect(reused.body).toMatchObject({ code: 'invalid_link' });

      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(world.sink.count((m) => m.to.includes(email))).toBe(1);
      const login = await api.post<{ user: { emailVerified: boolean } }>('/login', {
        body: { email, password: STRONG_PASSWORD },
      });
      expect(login.body.user.emailVerified).toBe(true);
    } finally {
      await stop();
      await worker.stop();
    }
  });

  it('sends a command published twice (relay crash after publish) once', async () => {
    const worker = await world.startWorker();
    try {
      const envelope = mailEnvelope(welcome('twice@example.com'));
      await world.bus.publish({ queue: 'email' }, envelope);
      await world.bus.publish({ queue: 'email' }, envelope);
      await world.bus.publish({ queue: 'email' }, mailEnvelope(welcome('other@example.com')));
      await world.sink.waitFor((m) => m.to.includes('other@example.com'));
      await eventually(
        'both commands settled',
        async () => (await world.bus.queueDepths(['email'])).email === 0,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(world.sink.count((m) => m.to.includes('twice@example.com'))).toBe(1);
      const [row] = await world.orm.em.getKnex()('email_deliveries').where('message_id', envelope.id);
      expect(row).toMatchObject({ status: 'sent', recipient: 'twice@example.com', template: 'welcome' });
      expect(world.sink.messages().find((m) => m.to.includes('twice@example.com'))?.messageId).toContain(
        envelope.id,
      );
    } finally {
      await worker.stop();
    }
  });

  it('holds mails while the SMTP server is down and delivers each once when it is back', async () => {
    const worker = await world.startWorker();
    try {
      await world.sink.stop();
      const recipients = Array.from({ length: 6 }, (_, i) => `held-${i}@example.com`);
      for (const to of recipients) await world.bus.publish({ queue: 'email' }, mailEnvelope(welcome(to)));
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(world.sink.count()).toBe(0);
      await world.sink.restart();
      await eventually('all 6 mails', () => world.sink.count() === 6, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(
        world.sink
          .messages()
          .flatMap((m) => m.to)
          .sort(),
      ).toEqual([...recipients].sort());
      expect((await world.bus.queueDepths(['email']))['email.dlq']).toBe(0);
    } finally {
      await worker.stop();
    }
  });

  it('gives up on a stalled SMTP server within the timeout and delivers once it answers', async () => {
    const worker = await world.startWorker();
    try {
      world.sink.stall(true);
      await world.bus.publish({ queue: 'email' }, mailEnvelope(welcome('stalled@example.com')));
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      world.sink.stall(false);
      await world.sink.waitFor((m) => m.to.includes('stalled@example.com'), 20_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(world.sink.count()).toBe(1);
    } finally {
      await worker.stop();
    }
  });

  it('dead-letters a mail the server refuses for good, a malformed, foreign-sealed or unsealed command, and keeps flowing', async () => {
    const worker = await world.startWorker();
    try {
      const refused = mailEnvelope(welcome('nobody@refused.test'));
      const malformed = seal.envelope({ template: 'welcome', to: 'not-an-email' } as EmailSend);
      // Sealed with another key (or altered): it cannot be opened here, whatever it says.
      const foreign = MailSeal.fromKeys(`other:${randomBytes(32).toString('base64')}`).envelope(
        welcome('forged@example.com'),
      );
      const clear = createEnvelope('email.send', welcome('clear@example.com'));
      await world.bus.publish({ queue: 'email' }, refused);
      await world.bus.publish({ queue: 'email' }, malformed);
      await world.bus.publish({ queue: 'email' }, foreign);
      await world.bus.publish({ queue: 'email' }, clear);
      await world.bus.publish({ queue: 'email' }, mailEnvelope(welcome('fine@example.com')));
      await world.sink.waitFor((m) => m.to.includes('fine@example.com'));
      await eventually(
        '4 in email.dlq',
        async () => (await world.bus.queueDepths(['email']))['email.dlq'] === 4,
      );
    } finally {
      await worker.stop();
    }
  });

  it('loses and repeats nothing when the broker connection drops mid-stream', async () => {
    const proxy = await TcpProxy.start(hostPort(world.env.env.AMQP_URL ?? ''));
    const worker = await world.startWorker({
      AMQP_URL: proxy.url(world.env.env.AMQP_URL ?? ''),
      EMAIL_CONCURRENCY: '2',
    });
    try {
      const recipients = Array.from({ length: 40 }, (_, i) => `stream-${i}@example.com`);
      for (const to of recipients) await world.bus.publish({ queue: 'email' }, mailEnvelope(welcome(to)));
      await eventually('some mails out', () => world.sink.count() >= 5);
      proxy.cut();
      await eventually('all 40 mails', () => world.sink.count() >= 40, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const received = world.sink.messages().flatMap((m) => m.to);
      expect(received.length).toBe(40);
      expect(new Set(received)).toEqual(new Set(recipients));
    } finally {
      await worker.stop();
      await proxy.close();
    }
  });

  it('keeps a registration made while the broker is away in the outbox and mails it once it is back', async () => {
    const amqp = world.env.env.AMQP_URL ?? '';
    const proxy = await TcpProxy.start(hostPort(amqp));
    const worker = await world.startWorker();
    const { api, stop } = await world.startAuth({ AMQP_URL: proxy.url(amqp) });
    try {
      proxy.refuse(true);
      proxy.cut();
      const email = `outage-${Date.now()}@example.com`;
      const registered = await api.post('/register', { body: { email, password: STRONG_PASSWORD } });
      expect(registered.status).toBe(201);
      const [staged] = await world.orm.em.getKnex()('outbox').count({ count: '*' });
      expect(Number(staged?.count)).toBeGreaterThanOrEqual(2);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(world.sink.count((m) => m.to.includes(email))).toBe(0);

      proxy.refuse(false);
      await world.sink.waitFor((m) => m.to.includes(email), 30_000);
      await eventually('the outbox emptied', async () => {
        const [row] = await world.orm.em.getKnex()('outbox').count({ count: '*' });
        return Number(row?.count) === 0;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(world.sink.count((m) => m.to.includes(email))).toBe(1);
    } finally {
      await stop();
      await worker.stop();
      await proxy.close();
    }
  });
});
