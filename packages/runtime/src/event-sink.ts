import { Counter, type Registry } from 'prom-client';
import type { EventSink } from '@platform/contracts';
import { EXCHANGES, QUEUES } from '@platform/contracts';
import { createEnvelope, type Bus } from '@platform/bus';
import type { Logger } from '@platform/observability';

/**
 * Emits onto the bus without blocking the caller: `log.*` records to the `logs` queue, everything
 * else to the `events` exchange under its type. The bus buffers through short broker outages; what
 * it cannot take is counted and logged, never thrown into a request.
 */
export function busEventSink(bus: Bus, log: Logger, registry: Registry): EventSink {
  const failed = new Counter({
    name: 'events_emit_failed_total',
    help: 'Events or log records the bus refused (buffer full or broker nack)',
    labelNames: ['type'],
    registers: [registry],
  });
  return {
    emit(type, payload) {
      const target = type.startsWith('log.')
        ? { queue: QUEUES.logs }
        : { exchange: EXCHANGES.events, routingKey: type };
      bus.publish(target, createEnvelope(type, payload)).catch((error: unknown) => {
        failed.inc({ type });
        // Request logs are high volume; one line per failure would amplify an outage.
        if (!type.startsWith('log.request')) log.warn({ err: error, type }, 'event not published');
      });
    },
  };
}
