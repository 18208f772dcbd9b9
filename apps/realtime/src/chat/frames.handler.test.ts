import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { Delivery } from '@platform/bus';
import type { Envelope } from '@platform/contracts';
import { fakeSocket as fake } from '../../test/support/fake-socket.js';
import { RealtimeMetrics } from '../metrics.js';
import { FrameSender } from '../ws/frame-sender.js';
import { SocketRegistry } from '../ws/socket-registry.js';
import type { ChatService } from './chat.service.js';
import { chatFramesHandler } from './frames.handler.js';

const fakeSocket = (userId: string) => fake({ userId });

const delivery = { attempt: 1 } as Delivery;

describe('chatFramesHandler', () => {
  const [ada, bob, cy, dee] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const message = { id: randomUUID(), conversationId: randomUUID(), seq: 7, from: ada };
  const envelope: Envelope = {
    id: randomUUID(),
    type: 'chat.frame',
    version: 1,
    occurredAt: new Date().toISOString(),
    payload: {
      audience: { scope: 'users', userIds: [ada, bob, cy, dee] },
      frame: { type: 'chat.message', ...message, channel: randomUUID(), text: 'hi' },
    },
  };

  const setup = (markDelivered: ChatService['markDelivered']) => {
    const log = pino({ level: 'silent' });
    const metrics = new RealtimeMetrics(new Registry());
    const sockets = new SocketRegistry();
    // Dee has no socket here; Bob has two tabs.
    const tabs = [fakeSocket(ada), fakeSocket(bob), fakeSocket(bob), fakeSocket(cy)];
    for (const { socket } of tabs) sockets.add(socket);
    const handler = chatFramesHandler({
      sockets,
      sender: new FrameSender(metrics, 1000, log),
      chat: { markDelivered } as unknown as ChatService,
      metrics,
      log,
      publishToTopic: () => 0,
    });
    return { handler, tabs, log };
  };

  it('writes the frame, then records the deliveries in one call without holding up the ack', async () => {
    const markDelivered = jest.fn(() => new Promise<string[]>(() => undefined)); // never settles
    const { handler, tabs } = setup(markDelivered);
    const acked = await Promise.race([
      handler(envelope, delivery).then(() => 'acked'),
      new Promise((resolve) => setTimeout(resolve, 200, 'still waiting')),
    ]);
    expect(acked).toBe('acked');
    expect(tabs.map(({ sent }) => sent.length)).toEqual([1, 1, 1, 1]);
    expect(markDelivered).toHaveBeenCalledTimes(1);
    expect(markDelivered).toHaveBeenCalledWith([ada, bob, cy], message);
  });

  it('logs a failed record instead of failing the message', async () => {
    const markDelivered = jest.fn(() => Promise.reject(new Error('database down')));
    const { handler, log } = setup(markDelivered);
    const warn = jest.spyOn(log, 'warn');
    await expect(handler(envelope, delivery)).resolves.toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ messageId: message.id }),
      'could not record a delivery',
    );
  });
});
