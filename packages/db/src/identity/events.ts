import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventType, StagedPayload } from '@platform/contracts';

/**
 * The part of runtime's outbox `EventSink` the identity layer stages through. Declared here because
 * db sits below runtime; runtime's sink satisfies it as it is.
 */
export interface EventStager {
  stage<T extends EventType>(em: EntityManager, type: T, payload: StagedPayload<T>): void;
}
