import type { PendingAuthorization } from './oauth-states.js';

/** Who the provider says signed in; `subject` is the stable id, the rest may change. */
export interface ProviderProfile {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

/** One provider's side of the flow, whatever protocol flavour it speaks. */
export interface ProviderClient {
  /** The authorization endpoint (discovered, for OIDC). */
  authorizationEndpoint(): Promise<string>;
  /** Redeems the code and reads the profile. */
  profile(code: string, pending: PendingAuthorization, redirectUri: string): Promise<ProviderProfile>;
}
