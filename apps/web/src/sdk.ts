import type { RequestOf, ResponseOf, ServerFrame } from '@platform/client';
import type { ListUsersQuery } from '@platform/contracts';

/**
 * The API's shapes as the pages name them, each taken from the SDK's typed calls (which take them from
 * the route contracts), so nothing here restates a schema.
 */
export type { ChatMessage as Message, ServerFrame } from '@platform/client';
export { ApiError, isApiError } from '@platform/client';

export type User = ResponseOf<'getProfile'>;
export type Role = User['role'];
export type SessionView = ResponseOf<'listSessions'>['sessions'][number];
export type Identity = ResponseOf<'listIdentities'>['identities'][number];
export type TwoFactorSetup = ResponseOf<'setupTwoFactor'>;
export type Conversation = ResponseOf<'listConversations'>['items'][number];
export type HistoryPage = ResponseOf<'listMessages'>;
export type Group = ResponseOf<'getGroup'>;
export type GroupMember = Group['members'][number];
export type Notification = ResponseOf<'listNotifications'>['items'][number];
/** Another user as `GET /people` names them. */
export type Person = ResponseOf<'listPeople'>['people'][number];
export type { MediaView as Media } from '@platform/client';

export type UserPage = ResponseOf<'listUsers'>;
/** A user as the admin directory shows it, with the account's lifecycle state. */
export type DirectoryUser = UserPage['users'][number];
/** The directory's query as the table keeps it (the route's parsed query: numbers and a real boolean). */
export type UserQuery = ListUsersQuery;
export type AdminSummary = ResponseOf<'getAdminSummary'>;
export type AuditPage = ResponseOf<'searchAuditLogs'>;
export type AuditEntry = AuditPage['entries'][number];
export type AuditQuery = NonNullable<RequestOf<'searchAuditLogs'>['query']>;
export type SignInActivity = ResponseOf<'getSignInActivity'>;
export type ModerationSummary = ResponseOf<'getModerationSummary'>;
export type HeldMessage = ResponseOf<'listHeldMessages'>['items'][number];

/** One server frame by its type. */
export type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;
