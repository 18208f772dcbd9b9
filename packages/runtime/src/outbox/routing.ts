import type { PublishTarget } from '@platform/bus';
import { EXCHANGES, QUEUES, type EventType } from '@platform/contracts';

/**
 * Where each message type goes: mail commands straight to the `email` queue (their links carry tokens,
 * so they never pass the `events` topic exchange that anyone may bind to), log records to the `logs`
 * queue, domain events to `events` under their type.
 */
export function targetOf(type: EventType): PublishTarget {
  if (type === 'email.send') return { queue: QUEUES.email };
  if (type.startsWith('log.')) return { queue: QUEUES.logs };
  return { exchange: EXCHANGES.events, routingKey: type };
}
