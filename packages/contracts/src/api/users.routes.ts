import { z } from 'zod';
import { emailAddressSchema } from '../email-address.js';
import { displayNameSchema as displayName } from '../users.js';
import { isoTime, publicUserSchema, sessionViewSchema } from './common.schemas.js';
import { route } from './route-contract.js';

const avatarUrl = z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).max(2048);

const status = z
  .string()
  .trim()
  .max(140)
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control characters');

export const profilePatch = z
  .strictObject({
    displayName: displayName.optional(),
    /** A new address is unverified until the link mailed to it is followed. */
    email: emailAddressSchema.optional(),
    avatarUrl: avatarUrl.nullable().optional(),
    /** One of the caller's uploads with purpose `avatar` (POST /media); its square crops are shown. */
    avatarMediaId: z.uuid().nullable().optional(),
    status: status.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'change at least one field' });

export type ProfilePatch = z.infer<typeof profilePatch>;

/** Everything stored about the caller (`GET /user-data`). */
export const userDataSchema = z.object({
  profile: publicUserSchema,
  sessions: z.array(sessionViewSchema.extend({ revokedAt: isoTime.nullable() })),
  exportedAt: isoTime,
});

/** `GET /people`: comma-separated user ids (at most PEOPLE_MAX). */
export const PEOPLE_MAX = 100;
export const peopleQuery = z.strictObject({
  ids: z
    .string()
    .max(PEOPLE_MAX * 37)
    .transform((text) => text.split(',').filter((id) => id !== ''))
    .pipe(z.array(z.uuid()).min(1).max(PEOPLE_MAX)),
});

/** Other users as any signed-in user may see them: a name and a picture, never an email address. */
export const peopleSchema = z.object({
  people: z.array(z.object({ id: z.uuid(), displayName: z.string(), avatarUrl: z.string().nullable() })),
});

const service = 'users';
const profile = { status: 200, description: "The caller's profile", schema: publicUserSchema };

/** The users service's routes: the signed-in caller's own profile and data. */
export const USERS_ROUTES = [
  route({
    service,
    operationId: 'getProfile',
    method: 'get',
    path: '/profile',
    access: { kind: 'permission', permission: 'profile:read' },
    summary: "The caller's profile",
    success: profile,
    errors: ['not_found'],
  }),
  route({
    service,
    operationId: 'updateProfile',
    method: 'patch',
    path: '/profile',
    access: { kind: 'permission', permission: 'profile:write' },
    summary: 'Change the profile; a new email address must be verified again',
    body: profilePatch,
    success: profile,
    errors: ['email_taken', 'not_found', 'reauthentication_required', 'validation_failed'],
  }),
  route({
    service,
    operationId: 'listPeople',
    method: 'get',
    path: '/people',
    access: { kind: 'permission', permission: 'profile:read' },
    summary: 'Display names and avatars of other users, by id',
    description: 'Unknown and deleted accounts are left out; the order is not that of `ids`.',
    query: peopleQuery,
    success: { status: 200, description: 'The people found', schema: peopleSchema },
    errors: ['validation_failed'],
  }),
  route({
    service,
    operationId: 'exportUserData',
    method: 'get',
    path: '/user-data',
    access: { kind: 'permission', permission: 'user-data:read' },
    summary: 'Everything stored about the caller',
    success: { status: 200, description: 'The export', schema: userDataSchema },
    errors: ['not_found'],
  }),
] as const;
