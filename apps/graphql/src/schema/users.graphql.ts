/** Profiles and the directory (users' and admin's gRPC services). */
export const usersTypeDefs = /* GraphQL */ `
  type Query {
    "The signed-in user's own profile (as GET /profile)."
    me: Profile!
    "Another user's public profile; null when there is no such account."
    user(id: ID!): User
    "The user directory, newest first (managers and admins; as GET /admin/users, and audited as it is)."
    users(filter: UserFilter, first: Int = 20, after: String): UserConnection!
  }

  type Mutation {
    "Changes the caller's profile (as PATCH /profile); a new email address must be verified again."
    updateProfile(input: UpdateProfileInput!): Profile!
  }

  "The caller's own profile: the public profile plus what only its owner sees."
  type Profile {
    id: ID!
    email: String!
    role: Role!
    displayName: String!
    avatarUrl: String
    "The free-text status line."
    status: String
    accountStatus: AccountStatus!
    emailVerified: Boolean!
    createdAt: DateTime!
  }

  "Another user as every signed-in user may see them."
  type User {
    id: ID!
    displayName: String!
    avatarUrl: String
    "Only for callers who may read the directory, and about themselves."
    role: Role
    accountStatus: AccountStatus!
    createdAt: DateTime!
  }

  "An account as the directory shows it."
  type DirectoryUser {
    id: ID!
    email: String!
    role: Role!
    displayName: String!
    avatarUrl: String
    status: String
    accountStatus: AccountStatus!
    emailVerified: Boolean!
    createdAt: DateTime!
  }

  input UserFilter {
    "A substring of the email address or display name, case-insensitive."
    query: String
    role: Role
    accountStatus: AccountStatus
    "Only soft-deleted accounts when true."
    deleted: Boolean
  }

  type UserConnection {
    edges: [UserEdge!]!
    pageInfo: PageInfo!
    "How many accounts match the filter in all."
    totalCount: Int!
  }

  type UserEdge {
    cursor: String!
    node: DirectoryUser!
  }

  "Only the fields given change; null clears the avatar or the status line."
  input UpdateProfileInput {
    displayName: String
    email: String
    avatarUrl: String
    status: String
  }
`;
