/** Groups and their members (realtime's gRPC service, with REST's /chat/groups rules). */
export const groupsTypeDefs = /* GraphQL */ `
  extend type Query {
    "A group the caller is a member of, with its members; null for any other id."
    group(id: ID!): Group
  }

  extend type Mutation {
    "Creates a group owned by the caller with these other members (active users; repeats ignored)."
    createGroup(input: CreateGroupInput!): Group!
    "An owner adds a member."
    addGroupMember(groupId: ID!, userId: ID!): GroupMember!
    "An owner changes a member's role, another owner's included; the last owner cannot step down."
    setGroupMemberRole(groupId: ID!, userId: ID!, role: GroupRole!): GroupMember!
    "An owner removes a member (an owner only once made a member); the caller's own id leaves."
    removeGroupMember(groupId: ID!, userId: ID!): RemoveGroupMemberPayload!
    "The caller leaves; when the last owner leaves, the longest-standing member becomes owner."
    leaveGroup(groupId: ID!): RemoveGroupMemberPayload!
  }

  enum GroupRole {
    OWNER
    MEMBER
  }

  "A group; its id is also its conversation's (sendMessage's conversationId)."
  type Group {
    id: ID!
    name: String!
    "Who created it (null when the account is gone)."
    createdBy: User
    createdAt: DateTime!
    "Longest-standing first."
    members: [GroupMember!]!
  }

  type GroupMember {
    userId: ID!
    "The member's public profile (null when the account is gone)."
    user: User
    role: GroupRole!
    joinedAt: DateTime!
    "The member's read pointer in the group's conversation."
    lastReadSeq: Int!
  }

  input CreateGroupInput {
    "1 to 100 characters."
    name: String!
    "The other members; the caller is the owner."
    memberIds: [ID!] = []
  }

  type RemoveGroupMemberPayload {
    groupId: ID!
    "Who is no longer a member."
    userId: ID!
  }
`;
