/** Roles, from most to least privileged. */
export const ROLES = ['admin', 'manager', 'user'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'profile:read',
  'profile:write',
  'user-data:read',
  'sessions:manage',
  'admin:summary',
  'users:read',
  'users:write',
  'users:assign-role',
  'audit:read',
  'chat:moderate',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const everyone: readonly Permission[] = [
  'profile:read',
  'profile:write',
  'user-data:read',
  'sessions:manage',
];

/**
 * The RBAC matrix. A manager reads the user directory but changes nothing and never assigns roles;
 * only an admin sees the summary, writes users, reads the audit log and moderates chat.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set(PERMISSIONS),
  manager: new Set<Permission>([...everyone, 'users:read']),
  user: new Set<Permission>(everyone),
};

/** True when `role` holds `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
