/** Conversations, messages, notifications (realtime's gRPC service). */
export const chatTypeDefs = /* GraphQL */ `
  extend type Query {
    "The caller's conversations: global first, then by latest activity."
    conversations(first: Int = 20, after: String): ConversationConnection!
    "One conversation of the caller's; null when there is none they may see."
    conversation(id: ID!): Conversation
    "Full-text search over global and the caller's conversations, newest first."
    searchMessages(query: String!, first: Int = 20): [Message!]!
    "The caller's newest notifications, newest first."
    notifications(first: Int = 50): [Notification!]!
  }

  extend type Mutation {
    "Sends a message; the same clientId again returns the stored message instead of sending twice."
    sendMessage(input: SendMessageInput!): SendMessagePayload!
    "The author changes a message's text."
    editMessage(id: ID!, text: String!): Message!
    "Adds (on: true) or removes the caller's reaction."
    react(messageId: ID!, emoji: String!, on: Boolean = true): ReactionPayload!
    "Moves the caller's read pointer up to this message."
    markRead(messageId: ID!): MarkReadPayload!
  }

  enum ConversationKind {
    GLOBAL
    DIRECT
    GROUP
  }

  type Conversation {
    id: ID!
    kind: ConversationKind!
    "The other user of a direct conversation."
    with: User
    "The group's name (global for the global channel); null for direct conversations."
    name: String
    "The caller's role in a group (owner or member)."
    role: String
    lastSeq: Int!
    lastReadSeq: Int!
    "Messages after the caller's read pointer, not their own (1000 means 1000 or more)."
    unread: Int!
    lastMessage: Message
    "The newest messages before the cursor 'before', oldest first (Relay's backward paging)."
    messages(last: Int = 50, before: String): MessageConnection!
  }

  "A message; a deleted one keeps its place (seq) with empty text."
  type Message {
    id: ID!
    conversationId: ID!
    "Numbers the conversation's messages from 1, without gaps."
    seq: Int!
    authorId: ID!
    "The author's public profile (null when the account is gone)."
    author: User
    "The recipient of a direct message."
    to: User
    "Plain text, never HTML; show it as text."
    text: String!
    at: DateTime!
    editedAt: DateTime
    deleted: Boolean!
    reactions: [ReactionCount!]!
  }

  type ReactionCount {
    emoji: String!
    count: Int!
  }

  type ConversationConnection {
    edges: [ConversationEdge!]!
    pageInfo: PageInfo!
  }

  type ConversationEdge {
    cursor: String!
    node: Conversation!
  }

  type MessageConnection {
    edges: [MessageEdge!]!
    pageInfo: PageInfo!
  }

  type MessageEdge {
    cursor: String!
    node: Message!
  }

  type Notification {
    id: ID!
    event: String!
    message: String!
    at: DateTime!
    read: Boolean!
  }

  "Where to: a conversation by id, or another user (starting the direct conversation)."
  input SendMessageInput {
    conversationId: ID
    toUserId: ID
    text: String!
    "Chosen by the client, unique per message: 1-64 of letters, digits, _ . : -"
    clientId: String!
  }

  type SendMessagePayload {
    message: Message!
    "True when this clientId was sent before: nothing new was sent."
    duplicate: Boolean!
  }

  type ReactionPayload {
    changed: Boolean!
    "How many users have this emoji on the message now."
    count: Int!
  }

  type MarkReadPayload {
    "False when the pointer was already at or past the message."
    advanced: Boolean!
  }
`;
