import { SpanKind } from '@opentelemetry/api';
import { STRONG_PASSWORD, eventually, mailWorld, type MailWorld } from './harness.js';
import { captureTraces, type ReadableSpan, type TraceCapture } from './trace-capture.js';

/** The span and its ancestors found among `spans`, nearest first. */
function ancestry(span: ReadableSpan, spans: ReadableSpan[]): ReadableSpan[] {
  const chain = [span];
  let parentId = span.parentSpanContext?.spanId;
  while (parentId) {
    const id = parentId;
    const parent = spans.find((s) => s.spanContext().spanId === id);
    if (!parent) break;
    chain.push(parent);
    parentId = parent.parentSpanContext?.spanId;
  }
  return chain;
}

describe('tracing across auth, the outbox and worker-email', () => {
  let traces: TraceCapture;
  let world: MailWorld;

  beforeAll(async () => {
    traces = captureTraces();
    world = await mailWorld();
  });
  afterAll(async () => {
    await world.close();
    await traces.stop();
  });

  it('puts the registration request, the relay publish and the welcome mail under one trace', async () => {
    const worker = await world.startWorker();
    const { api, stop } = await world.startAuth();
    try {
      const email = `traced-${Date.now()}@example.com`;
      const registered = await api.post('/register', {
        body: { email, password: STRONG_PASSWORD, displayName: 'Ada' },
      });
      expect(registered.status).toBe(201);
      const mail = await world.sink.waitFor((m) => m.to.includes(email), 10_000);
      expect(mail.subject).toMatch(/welcome/i);

      const consumerName = `${world.env.namespace}.email process`;
      await eventually('the email CONSUMER span', () =>
        traces.spans().some((s) => s.kind === SpanKind.CONSUMER && s.name === consumerName),
      );
      const spans = traces.spans();
      const consumer = spans.find((s) => s.kind === SpanKind.CONSUMER && s.name === consumerName);
      if (!consumer) throw new Error('no consumer span');

      // auth's request span -> the relay's publish of the outbox row -> worker-email's handling of it.
      const chain = ancestry(consumer, spans);
      expect(chain.map((s) => [SpanKind[s.kind], s.name])).toEqual([
        ['CONSUMER', consumerName],
        ['PRODUCER', 'email publish'],
        ['SERVER', 'POST'],
      ]);
      const [, , server] = chain;
      expect(server?.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.path': '/register' });
      expect(server?.parentSpanContext).toBeUndefined();
      expect(new Set(chain.map((s) => s.spanContext().traceId)).size).toBe(1);
    } finally {
      await stop();
      await worker.stop();
    }
  });
});
