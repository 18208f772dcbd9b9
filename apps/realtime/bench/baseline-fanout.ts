// What both fanout baselines share: an exclusive queue of their own bound to the namespace's `chat`
// fanout exchange (amqplib), with realtime's prefetch, handing each `chat.frame` for audience `all` to
// `broadcast` and acking it afterwards, as realtime does. Bodies that are not JSON are dropped.
import amqp from 'amqplib';
import { EXCHANGES, namespaced } from '@platform/contracts';

interface Envelope {
  type?: string;
  payload?: { audience?: { scope?: string }; frame?: unknown };
}

/** Starts consuming; resolves once the queue is bound and consuming. Returns how to stop. */
export async function consumeChatFanout(broadcast: (frame: unknown) => void): Promise<() => Promise<void>> {
  const connection = await amqp.connect(process.env.AMQP_URL ?? '');
  const channel = await connection.createChannel();
  const exchange = namespaced(process.env.AMQP_NAMESPACE ?? '', EXCHANGES.chat);
  await channel.assertExchange(exchange, 'fanout', { durable: true, autoDelete: false });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
  await channel.bindQueue(queue, exchange, '');
  await channel.prefetch(Number(process.env.PREFETCH ?? 20));
  await channel.consume(queue, (message) => {
    if (!message) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message.content.toString('utf8')) as Envelope;
    } catch {
      channel.nack(message, false, false);
      return;
    }
    if (envelope.type === 'chat.frame' && envelope.payload?.audience?.scope === 'all') {
      broadcast(envelope.payload.frame);
    }
    channel.ack(message);
  });
  return async () => {
    await channel.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
  };
}
