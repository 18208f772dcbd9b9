import { EntitySchema } from '@mikro-orm/core';

/** Where the relay publishes a row: an exchange (with routing key) or straight to a work queue. */
export type OutboxTarget =
  { kind: 'exchange'; name: string; routingKey: string } | { kind: 'queue'; name: string };

/**
 * An event waiting to be published: written by the same flush (one transaction) as the state change
 * that caused it, published by the outbox relay with publisher confirms, deleted once confirmed. The
 * envelope id is the row id, so a relay that crashes between confirm and delete publishes the same id
 * again and consumers drop the duplicate.
 *
 * `seq` (an identity column, not mapped) gives the relay a publish order without trusting clocks.
 */
export class OutboxMessage {
  id!: string;
  targetKind!: 'exchange' | 'queue';
  targetName!: string;
  routingKey!: string | null;
  envelope!: Record<string, unknown>;
  /** Message headers captured when the event was staged: W3C `traceparent` / `tracestate`. */
  headers!: Record<string, string>;
  createdAt!: Date;
  attempts!: number;
  lastError!: string | null;
  /** Set when the relay gave up on the row (it can never be published); kept for an operator to inspect. */
  parkedAt!: Date | null;
}

export const OutboxMessageSchema = new EntitySchema<OutboxMessage>({
  class: OutboxMessage,
  tableName: 'outbox',
  properties: {
    id: { type: 'uuid', primary: true },
    targetKind: { type: 'text' },
    targetName: { type: 'text' },
    routingKey: { type: 'text', nullable: true },
    envelope: { type: 'json', columnType: 'jsonb' },
    headers: { type: 'json', columnType: 'jsonb' },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    attempts: { type: 'integer', default: 0 },
    lastError: { type: 'text', nullable: true },
    parkedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});
