import {
  approvedSchema,
  conversationSummarySchema,
  heldPageSchema,
  heldParams,
  heldQuery,
  moderationPolicyBody,
  moderationPolicySchema,
  moderationSummarySchema,
  summaryQuery,
} from './moderation.schemas.js';
import { conversationParams } from './realtime.schemas.js';
import { route } from './route-contract.js';

const service = 'realtime';
const moderators = { kind: 'permission', permission: 'chat:moderate' } as const;

/**
 * Realtime's moderation and summary routes. The review queue and the policies are for holders of
 * `chat:moderate` (admins); a summary is for members of the conversation, like its history.
 */
export const REALTIME_MODERATION_ROUTES = [
  route({
    service,
    operationId: 'summarizeConversation',
    method: 'get',
    path: '/chat/conversations/{id}/summary',
    access: { kind: 'signed-in' },
    summary: 'An extractive summary of the newest messages, for a member',
    params: conversationParams,
    query: summaryQuery,
    success: { status: 200, description: 'The summary', schema: conversationSummarySchema },
    errors: ['not_found'],
  }),
  route({
    service,
    operationId: 'setModerationPolicy',
    method: 'put',
    path: '/chat/conversations/{id}/moderation',
    access: moderators,
    summary: 'Set what the conversation does with offensive text (audited)',
    params: conversationParams,
    body: moderationPolicyBody,
    success: { status: 200, description: 'The policy', schema: moderationPolicySchema },
    errors: ['not_found'],
  }),
  route({
    service,
    operationId: 'listHeldMessages',
    method: 'get',
    path: '/chat/moderation/held',
    access: moderators,
    summary: 'The review queue: held messages, oldest first',
    query: heldQuery,
    success: { status: 200, description: 'One page of the queue', schema: heldPageSchema },
    errors: [],
  }),
  route({
    service,
    operationId: 'approveHeldMessage',
    method: 'post',
    path: '/chat/moderation/held/{id}/approve',
    access: moderators,
    summary: 'Post a held message to its conversation (audited)',
    params: heldParams,
    success: { status: 200, description: 'The message as posted', schema: approvedSchema },
    errors: ['not_found', 'conflict'],
  }),
  route({
    service,
    operationId: 'rejectHeldMessage',
    method: 'post',
    path: '/chat/moderation/held/{id}/reject',
    access: moderators,
    summary: 'Drop a held message (audited)',
    params: heldParams,
    success: { status: 204, description: 'Dropped' },
    errors: ['not_found'],
  }),
  route({
    service,
    operationId: 'getModerationSummary',
    method: 'get',
    path: '/chat/moderation/summary',
    access: moderators,
    summary: 'Chat health for the admin summary: the queue and the last day’s sentiment',
    success: { status: 200, description: 'The summary', schema: moderationSummarySchema },
    errors: [],
  }),
] as const;
