import type { HandlerContext } from '@connectrpc/connect';
import { AppError } from '@platform/contracts';
import { callerOf } from '@platform/grpc';
import { ChatError, type Actor } from '../chat/chat.types.js';

/** The caller as the chat rules know them, from the token the auth interceptor verified. */
export function actorOf(ctx: HandlerContext): Actor {
  const claims = callerOf(ctx);
  return { userId: claims.sub, role: claims.role };
}

/**
 * A chat refusal keeps its code, as the socket's `error` frames and REST's problems do. A send held
 * for review (`message_held`, a socket-only code with no HTTP status) travels as `conflict` with the
 * moderation's message: the caller learns it was not sent, and a resend is refused the same way.
 */
export async function chatCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ChatError)
      throw new AppError(error.code === 'message_held' ? 'conflict' : error.code, error.message);
    throw error;
  }
}
