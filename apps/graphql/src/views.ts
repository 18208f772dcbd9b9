import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type {
  AuditLogEntry,
  Message as ChatMessage,
  Conversation,
  DirectoryUser,
  Group,
  GroupMember,
  Notification,
  Profile,
  User,
} from '@platform/proto';

/*
 * From protobuf messages to what the schema's types resolve from. Proto3 has no null: an empty
 * string (or zero) means "none" in these messages, which GraphQL shows as null.
 */

const orNull = <T>(value: T): T | null => (value === '' || value === 0 ? null : value);
const dateOf = (t: Timestamp | undefined): Date | null => (t === undefined ? null : timestampDate(t));

export function profileView(profile: Profile | undefined) {
  if (profile === undefined) throw new Error('the users service answered without a profile');
  return {
    id: profile.id,
    email: profile.email,
    role: profile.role,
    displayName: profile.displayName,
    avatarUrl: orNull(profile.avatarUrl),
    status: orNull(profile.status),
    accountStatus: profile.accountStatus,
    emailVerified: profile.emailVerified,
    createdAt: dateOf(profile.createdAt),
  };
}

export function userView(user: User) {
  return {
    id: user.id,
    displayName: user.displayName,
    avatarUrl: orNull(user.avatarUrl),
    role: orNull(user.role),
    accountStatus: user.accountStatus,
    createdAt: dateOf(user.createdAt),
  };
}

export function directoryUserView(user: DirectoryUser) {
  return profileView({ ...user, $typeName: 'platform.users.v1.Profile' });
}

export function auditEntryView(entry: AuditLogEntry) {
  return {
    id: entry.id,
    kind: entry.kind,
    at: dateOf(entry.at),
    service: entry.service,
    requestId: orNull(entry.requestId),
    action: orNull(entry.action),
    actorId: orNull(entry.actorId),
    targetId: orNull(entry.targetId),
    userId: orNull(entry.userId),
    method: orNull(entry.method),
    path: orNull(entry.path),
    status: orNull(entry.status),
    durationMs: entry.kind === 'request' ? entry.durationMs : null,
    ip: orNull(entry.ip),
    userAgent: orNull(entry.userAgent),
    before: entry.before ?? null,
    after: entry.after ?? null,
  };
}

export function messageView(message: ChatMessage) {
  return {
    id: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    authorId: message.from,
    toId: orNull(message.to),
    text: message.text,
    at: dateOf(message.at),
    editedAt: dateOf(message.editedAt),
    deleted: message.deleted,
    reactions: Object.entries(message.reactions).map(([emoji, count]) => ({ emoji, count })),
  };
}

export type MessageViewModel = ReturnType<typeof messageView>;

export function conversationView(conversation: Conversation) {
  return {
    id: conversation.id,
    kind: conversation.kind,
    withId: orNull(conversation.with),
    name: orNull(conversation.name),
    role: orNull(conversation.role),
    lastSeq: conversation.lastSeq,
    lastReadSeq: conversation.lastReadSeq,
    unread: conversation.unread,
    lastMessage: conversation.lastMessage === undefined ? null : messageView(conversation.lastMessage),
  };
}

export type ConversationViewModel = ReturnType<typeof conversationView>;

export function notificationView(notification: Notification) {
  return { ...notification, at: dateOf(notification.at) };
}

export function groupMemberView(member: GroupMember) {
  return {
    userId: member.userId,
    role: member.role,
    joinedAt: dateOf(member.joinedAt),
    lastReadSeq: member.lastReadSeq,
  };
}

export type GroupMemberViewModel = ReturnType<typeof groupMemberView>;

export function groupView(group: Group | undefined) {
  if (group === undefined) throw new Error('realtime answered without the group');
  return {
    id: group.id,
    name: group.name,
    createdById: orNull(group.createdBy),
    createdAt: dateOf(group.createdAt),
    members: group.members.map(groupMemberView),
  };
}

export type GroupViewModel = ReturnType<typeof groupView>;
