import { can, isRole, PERMISSIONS, ROLES, type Permission, type Role } from './roles.js';

const expected: Record<Role, Permission[]> = {
  admin: [...PERMISSIONS],
  manager: ['profile:read', 'profile:write', 'user-data:read', 'sessions:manage', 'users:read'],
  user: ['profile:read', 'profile:write', 'user-data:read', 'sessions:manage'],
};

describe('RBAC matrix', () => {
  for (const role of ROLES) {
    for (const permission of PERMISSIONS) {
      const allowed = expected[role].includes(permission);
      it(`${allowed ? 'grants' : 'denies'} ${permission} to ${role}`, () => {
        expect(can(role, permission)).toBe(allowed);
      });
    }
  }

  it('never lets a manager assign roles or read the audit log', () => {
    expect(can('manager', 'users:assign-role')).toBe(false);
    expect(can('manager', 'audit:read')).toBe(false);
  });

  it('recognises only the three roles', () => {
    expect(ROLES.filter(isRole)).toEqual(['admin', 'manager', 'user']);
    expect(isRole('root')).toBe(false);
    expect(isRole('Admin')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});
