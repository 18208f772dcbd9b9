import { z } from 'zod';

import {
  authorizeUrlSchema,
  identityListSchema,
  identityParams,
  oauthCallbackQuery,
  oauthCallbackResultSchema,
  oauthProviderListSchema,
  oauthStartQuery,
} from './auth.schemas.js';
import { route } from './route-contract.js';

const service = 'auth';
const anyone = { kind: 'public' } as const;
const signedIn = { kind: 'signed-in' } as const;
const noContent = (description: string) => ({ status: 204, description });
const providerParams = z.object({
  provider: z.string().max(64).describe('github, google or an OIDC provider'),
});

/** Sign-in with OAuth/OIDC providers and the caller's linked identities (auth). */
export const OAUTH_ROUTES = [
  route({
    service,
    operationId: 'listOAuthProviders',
    method: 'get',
    path: '/oauth/providers',
    access: anyone,
    summary: 'The providers this deployment signs in with, for sign-in buttons',
    success: {
      status: 200,
      description: 'The enabled providers (may be none)',
      schema: oauthProviderListSchema,
    },
    errors: [],
  }),
  route({
    service,
    operationId: 'startOAuth',
    method: 'get',
    path: '/oauth/{provider}/start',
    access: anyone,
    summary: 'Start a sign-in with a provider (`link=1` with a bearer token links it instead)',
    params: providerParams,
    query: oauthStartQuery,
    success: {
      status: 200,
      description: 'With `Accept: application/json`: where to send the browser',
      schema: authorizeUrlSchema,
    },
    alternatives: [{ status: 302, description: 'A browser is redirected to the provider' }],
    errors: ['unknown_provider', 'invalid_return_to', 'unauthorized', 'reauthentication_required'],
  }),
  route({
    service,
    operationId: 'finishOAuth',
    method: 'get',
    path: '/oauth/{provider}/callback',
    access: anyone,
    summary: "The provider's redirect back: a session, or the provider linked to the account",
    params: providerParams,
    query: oauthCallbackQuery,
    success: {
      status: 200,
      description: 'With `Accept: application/json`: the result',
      schema: oauthCallbackResultSchema,
    },
    alternatives: [
      {
        status: 302,
        description:
          'A browser is redirected to the web app, results in the fragment; a sign-in started with ' +
          '`tokenTransport=cookie` sets the refresh cookie and goes to `returnTo` with no token in the URL; ' +
          'a failed one goes to the web app with `#error=<code>&providerError=<the provider error>`',
      },
    ],
    errors: [
      'unknown_provider',
      'invalid_state',
      'oauth_error',
      'email_required',
      'oauth_provider_error',
      'account_exists',
      'identity_taken',
      'provider_already_linked',
      'totp_required',
    ],
  }),
  route({
    service,
    operationId: 'listIdentities',
    method: 'get',
    path: '/oauth/identities',
    access: signedIn,
    summary: "The caller's linked provider sign-ins",
    success: { status: 200, description: 'The identities', schema: identityListSchema },
    errors: [],
  }),
  route({
    service,
    operationId: 'unlinkIdentity',
    method: 'delete',
    path: '/oauth/identities/{provider}',
    access: signedIn,
    summary: 'Unlink a provider, unless it is the only way to sign in',
    params: identityParams,
    success: noContent('Unlinked'),
    errors: ['not_found', 'last_sign_in_method', 'reauthentication_required'],
  }),
] as const;
