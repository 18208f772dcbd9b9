import { randomUUID } from 'node:crypto';
import type { Role } from '@platform/contracts';
import { Media, newUserData, Session, User } from '@platform/db';
import type { ServiceResources } from '@platform/runtime';

export interface SeededUser {
  id: string;
  email: string;
  role: Role;
  sessionId: string;
  accessToken: string;
}

/**
 * Inserts an account with a live session and signs an access token for it with `tokens` (the test
 * environment's, which holds auth's private key): what a login through the auth service would leave
 * behind, without needing that service.
 */
export async function seedUser(
  resources: Pick<ServiceResources, 'orm' | 'tokens'>,
  fields: { role?: Role; email?: string; displayName?: string; createdAt?: Date } = {},
): Promise<SeededUser> {
  const em = resources.orm.em.fork();
  const now = fields.createdAt ?? new Date();
  const role = fields.role ?? 'user';
  const email = fields.email ?? `${role}-${randomUUID().slice(0, 8)}@example.com`;
  const user = em.create(
    User,
    newUserData({
      email,
      role,
      displayName: fields.displayName ?? email.split('@')[0] ?? email,
      passwordHash: null,
      createdAt: now,
    }),
  );
  const session = em.create(Session, {
    id: randomUUID(),
    user,
    userAgent: 'testkit',
    ip: '127.0.0.1',
    remember: false,
    createdAt: now,
    authenticatedAt: now,
    lastUsedAt: now,
    expiresAt: new Date(Date.now() + 3600_000),
    revokedAt: null,
    revokedReason: null,
  });
  await em.flush();
  const { token } = resources.tokens.sign({
    userId: user.id,
    role,
    sessionId: session.id,
    authTime: now,
  });
  return { id: user.id, email, role, sessionId: session.id, accessToken: token };
}

/**
 * Inserts an upload's row as the media service records it (no bytes: give `storageKey` and write
 * them where a test needs them): a processing image attachment unless `fields` says otherwise.
 */
export async function seedMedia(
  resources: Pick<ServiceResources, 'orm'>,
  ownerId: string,
  fields: Partial<Omit<Media, 'ownerId'>> = {},
): Promise<string> {
  const em = resources.orm.em.fork();
  const id = fields.id ?? randomUUID();
  em.create(Media, {
    id,
    ownerId,
    purpose: 'attachment',
    kind: 'image',
    name: 'upload.png',
    mime: 'image/png',
    size: 100,
    sha256: 'a'.repeat(64),
    status: 'processing',
    failureReason: null,
    width: null,
    height: null,
    durationMs: null,
    storageKey: `media/${id}/original`,
    variants: {},
    createdAt: new Date(),
    processedAt: null,
    attachedAt: null,
    deletedAt: null,
    ...fields,
  });
  await em.flush();
  return id;
}
