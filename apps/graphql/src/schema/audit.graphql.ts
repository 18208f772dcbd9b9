/** The request and audit logs (admin's gRPC service). */
export const auditTypeDefs = /* GraphQL */ `
  extend type Query {
    "The stored request and audit logs, newest first (admins; as GET /admin/audit-logs)."
    auditLogs(filter: AuditLogFilter, first: Int = 50, after: String): AuditLogConnection!
  }

  enum AuditLogKind {
    REQUEST
    AUDIT
  }

  "Every filter given narrows the result."
  input AuditLogFilter {
    "Anything the user did or had done to them."
    userId: ID
    actorId: ID
    action: String
    kind: AuditLogKind
    "A prefix of the request path."
    path: String
    "Inclusive."
    from: DateTime
    "Exclusive."
    to: DateTime
    status: Int
  }

  "A request (method, path, status...) or an audit entry (action, before, after)."
  type AuditLogEntry {
    id: ID!
    kind: AuditLogKind!
    at: DateTime!
    service: String!
    requestId: String
    action: String
    actorId: ID
    targetId: ID
    userId: ID
    method: String
    path: String
    status: Int
    durationMs: Float
    ip: String
    userAgent: String
    before: JSON
    after: JSON
  }

  type AuditLogConnection {
    edges: [AuditLogEdge!]!
    pageInfo: PageInfo!
  }

  type AuditLogEdge {
    cursor: String!
    node: AuditLogEntry!
  }
`;
