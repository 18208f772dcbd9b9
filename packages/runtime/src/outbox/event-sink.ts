import { context } from '@opentelemetry/api';
import { createEnvelope, traceHeaders } from '@platform/bus';
import type { EmailSend, EventType, StagedPayload } from '@platform/contracts';
import { OutboxMessage, type EntityManager } from '@platform/db';
import type { MailSeal } from './mail-seal.js';
import { targetOf } from './routing.js';

/**
 * How services emit events and audit records: through the transactional outbox, never straight to the
 * broker, so a state change and the event it causes are committed together or not at all.
 */
export interface EventSink {
  /**
   * Adds the event to `em`'s unit of work: the caller's next `flush` writes it in the same transaction
   * as the change it describes. Nothing is written if that flush fails.
   */
  stage<T extends EventType>(em: EntityManager, type: T, payload: StagedPayload<T>): void;
  /** Writes the event on its own, now: for records of something that changed no state (an audited read). */
  record<T extends EventType>(em: EntityManager, type: T, payload: StagedPayload<T>): Promise<void>;
}

/**
 * The outbox-backed sink. An `email.send` command is sealed here, before it is ever written, so no
 * service can forget to (see `MailSeal`). A process that sends no mail (realtime) passes no seal, and
 * a mail staged there is a programming error, thrown at once.
 */
export function outboxEventSink(mailSeal: MailSeal | null): EventSink {
  const stage: EventSink['stage'] = (em, type, payload) => {
    const envelope = createEnvelope<unknown>(type, payload);
    if (type === 'email.send') {
      if (!mailSeal) throw new Error('this process has no mail seal and cannot send mail');
      envelope.payload = mailSeal.seal(envelope.id, payload as EmailSend);
    }
    const target = targetOf(type);
    em.create(OutboxMessage, {
      id: envelope.id,
      targetKind: 'queue' in target ? 'queue' : 'exchange',
      targetName: 'queue' in target ? target.queue : target.exchange,
      routingKey: 'queue' in target ? null : (target.routingKey ?? type),
      envelope: { ...envelope },
      // The request's trace continues through the relay into the consumer.
      headers: traceHeaders(context.active()),
      createdAt: new Date(envelope.occurredAt),
      attempts: 0,
      lastError: null,
      parkedAt: null,
    });
  };
  return {
    stage,
    async record(em, type, payload) {
      const own = em.fork();
      stage(own, type, payload);
      await own.flush();
    },
  };
}
