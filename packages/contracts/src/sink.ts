import type { EventPayload, EventType } from './events.js';

/**
 * Where services hand events and log records. Domain events go to the `events` exchange, `log.*`
 * records to the `logs` queue; emitting never blocks or throws in the request path.
 */
export interface EventSink {
  emit<T extends EventType>(type: T, payload: EventPayload<T>): void;
}
