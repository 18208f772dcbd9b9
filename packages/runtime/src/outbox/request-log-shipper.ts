import { Counter, type Registry } from 'prom-client';
import { createEnvelope, type Bus } from '@platform/bus';
import { QUEUES, type EventPayload } from '@platform/contracts';

/**
 * Request logs skip the outbox: one row per request would double the database writes of every call.
 * They are published best effort instead (shed first when the broker is away, counted, never thrown),
 * while events and audit records, which must not be lost, go through the outbox.
 */
export function requestLogShipper(
  bus: Bus,
  registry: Registry,
): (entry: EventPayload<'log.request'>) => void {
  const dropped = new Counter({
    name: 'request_logs_dropped_total',
    help: 'Request log records not shipped to the logs queue (broker away or publish buffer full)',
    registers: [registry],
  });
  return (entry) => {
    bus
      .publish({ queue: QUEUES.logs }, createEnvelope('log.request', entry), { bestEffort: true })
      .catch(() => dropped.inc());
  };
}
