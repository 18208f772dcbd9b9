import {
  deviceListSchema,
  deviceParams,
  deviceTokenSchema,
  reauthenticateBody,
  reauthenticatedSchema,
  tokenBody,
} from './auth.schemas.js';
import { route } from './route-contract.js';

const service = 'auth';

/** Auth's account-security routes: step-up, undoing an email change, unlock links, trusted devices. */
export const AUTH_SECURITY_ROUTES = [
  route({
    service,
    operationId: 'reauthenticate',
    method: 'post',
    path: '/account/reauthenticate',
    access: { kind: 'signed-in' },
    summary: 'Step up: prove who you are again for a sensitive change',
    description:
      'Takes the password, a TOTP code or a recovery code; answers an access token whose `auth_time` is now. ' +
      'Routes that need a recent sign-in answer `401 reauthentication_required` until then.',
    body: reauthenticateBody,
    success: { status: 200, description: 'A fresh access token', schema: reauthenticatedSchema },
    errors: ['invalid_credentials', 'invalid_code', 'code_reused', 'account_locked', 'overloaded'],
  }),
  route({
    service,
    operationId: 'revertEmailChange',
    method: 'post',
    path: '/email/revert',
    access: { kind: 'public' },
    summary: 'Undo an email change with the link mailed to the old address',
    description: 'The old address comes back (verified); links sent to the new one die; every session ends.',
    body: tokenBody,
    success: { status: 204, description: 'The change is undone' },
    errors: ['invalid_link', 'email_taken'],
  }),
  route({
    service,
    operationId: 'unlockAccount',
    method: 'post',
    path: '/account/unlock',
    access: { kind: 'public' },
    summary: "Follow the lock mail's unlock link: this client becomes a trusted device",
    body: tokenBody,
    success: { status: 200, description: 'A device token (also set as a cookie)', schema: deviceTokenSchema },
    errors: ['invalid_link'],
  }),
  route({
    service,
    operationId: 'listDevices',
    method: 'get',
    path: '/account/devices',
    access: { kind: 'signed-in' },
    summary: "The caller's trusted devices, most recently used first",
    success: { status: 200, description: 'The devices', schema: deviceListSchema },
    errors: [],
  }),
  route({
    service,
    operationId: 'revokeDevice',
    method: 'delete',
    path: '/account/devices/{id}',
    access: { kind: 'signed-in' },
    summary: 'Forget one trusted device',
    params: deviceParams,
    success: { status: 204, description: 'The device signs in like a stranger again' },
    errors: ['not_found'],
  }),
] as const;
