import amqp from 'amqplib';
import { subscriptionDeadLetterQueueName } from '@platform/bus';
import { namespaced } from '@platform/contracts';
import { USER_EVENTS_QUEUE } from '../../src/services/user-events.handler.js';

/**
 * Deletes the durable queues realtime declares itself (`realtime.user-events` and its DLQ), which the
 * topology that `TestEnvironment.close` removes does not include. Used by the tests and the bench.
 */
export async function deleteRealtimeQueues(url: string, namespace: string): Promise<void> {
  const connection = await amqp.connect(url);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await channel.deleteQueue(namespaced(namespace, USER_EVENTS_QUEUE));
    await channel.deleteQueue(subscriptionDeadLetterQueueName(namespace, USER_EVENTS_QUEUE));
    await channel.close();
  } finally {
    await connection.close().catch(() => undefined);
  }
}
