/** Exchange and queue names; every runtime name goes through `namespaced` so test runs never collide. */
export const EXCHANGES = {
  events: 'events',
  notifications: 'notifications',
  chat: 'chat',
} as const;

export const QUEUES = {
  email: 'email',
  logs: 'logs',
  /** `media.uploaded` events for worker-media (bound from the `events` exchange). */
  media: 'media',
} as const;

export type ExchangeName = (typeof EXCHANGES)[keyof typeof EXCHANGES];
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Prefixes a broker name with a namespace (`AMQP_NAMESPACE`), e.g. `test-1a2b.logs`. */
export function namespaced(namespace: string, name: string): string {
  return namespace ? `${namespace}.${name}` : name;
}

/**
 * Redis sorted set of online user ids, scored by when their presence expires (ms since the epoch).
 * The realtime tier refreshes it; readers count members whose score is still in the future.
 */
export const PRESENCE_ONLINE_KEY = 'presence:online';
