import type { EventPayload, ModerationAction } from '@platform/contracts';
import { afinnSentiment, obscenityScreen } from '../../src/chat/moderation/content-screen.js';
import type { ChatModeration } from '../../src/chat/moderation/moderation.service.js';
import { extractiveSummary } from '../../src/chat/moderation/summary.js';

/**
 * The real providers, for a ChatService built in a test; audit records are kept in `audits` for the
 * test to read instead of going through the outbox (the outbox path is tested over HTTP and AMQP).
 */
export function testModeration(defaultAction: ModerationAction = 'mask') {
  const audits: EventPayload<'log.audit'>[] = [];
  const moderation: ChatModeration = {
    screen: obscenityScreen(),
    sentiment: afinnSentiment(),
    summaries: extractiveSummary(),
    defaultAction,
    policyTtlMs: 0,
    audit: async (entry) => {
      audits.push(entry);
    },
  };
  return { moderation, audits };
}
