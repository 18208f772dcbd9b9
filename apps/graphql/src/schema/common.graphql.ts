/** Scalars, paging and the types every part of the schema shares. */
export const commonTypeDefs = /* GraphQL */ `
  "A point in time: an ISO 8601 string in UTC."
  scalar DateTime

  "Any JSON value (an audit entry's before and after)."
  scalar JSON

  "Relay's page information: whether more follows, and the cursors to ask for it."
  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  "What the signed-in caller may do: from least to most privileged."
  enum Role {
    USER
    MANAGER
    ADMIN
  }

  "An account's state, as the identity layer names it."
  enum AccountStatus {
    ACTIVE
    SUSPENDED
    DEACTIVATED
  }
`;
