export { createClient, type ClientOptions, type PlatformClient } from './client.js';
export { ApiError, isApiError, type ProblemBody } from './api-error.js';
export {
  AuthApi,
  type LoginInput,
  type LoginResult,
  type ReauthProof,
  type SecondFactorInput,
} from './auth.js';
export { RealtimeClient, type RealtimeEvents, type RealtimeOptions } from './realtime.js';
export { SocketError, type SendAck } from './outbox.js';
export { memoryTokenStore, type StoredTokens, type TokenStore } from './token-store.js';
export type { SessionEvents, SignOutReason, TokenTransport, User } from './session.js';
export type { OperationId, RequestOf, ResponseOf, RestApi } from './operations.js';
export type { WebSocketConstructor, WebSocketLike } from './connection.js';
export type { FetchLike } from './http.js';
export type { UploadFile, UploadOptions } from './upload.js';
export type { BackoffOptions } from './backoff.js';
export type { TypingOptions } from './typing.js';
export type { ChatMessage, ChatTarget, ClientFrame, MediaView, ServerFrame } from '@platform/contracts';
