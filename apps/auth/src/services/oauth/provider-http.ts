import { z } from 'zod';
import { AppError } from '@platform/http';
import type { ProviderSettings } from './provider-config.js';

/** A provider's own error code, when it is a plain token (never echo arbitrary remote text). */
export function providerErrorCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) ? value : undefined;
}

/** 502 oauth_provider_error: the provider failed or answered something we cannot use. */
export function providerFailure(provider: string, detail: string, code?: string): AppError {
  return new AppError('oauth_provider_error', `${provider}: ${detail}`, {
    extensions: { provider, ...(code ? { providerError: code } : {}) },
  });
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  id_token: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponse>;

/** Calls to providers, each bounded by a timeout, with every failure turned into `providerFailure`. */
export class ProviderHttp {
  constructor(private readonly timeoutMs: number) {}

  /** GET or POST returning JSON; `what` names the call in the error. */
  async json(provider: string, what: string, url: string, init: RequestInit = {}): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, {
        ...init,
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { accept: 'application/json', 'user-agent': 'platform-auth', ...init.headers },
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw providerFailure(provider, `${what} ${timedOut ? 'timed out' : 'is unreachable'}.`);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    const code = providerErrorCode((body as { error?: unknown } | undefined)?.error);
    if (!res.ok || code) throw providerFailure(provider, `${what} failed (${res.status}).`, code);
    if (body === undefined) throw providerFailure(provider, `${what} did not answer JSON.`);
    return body;
  }

  /**
   * The authorization-code grant with the PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.5). The
   * secret goes in a Basic header or the body as the provider is configured; public clients send
   * only their id.
   */
  async exchangeCode(
    provider: ProviderSettings,
    tokenUrl: string,
    grant: { code: string; redirectUri: string; verifier: string },
  ): Promise<TokenResponse> {
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: grant.code,
      redirect_uri: grant.redirectUri,
      code_verifier: grant.verifier,
    });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (provider.clientSecret && provider.tokenAuth === 'client_secret_basic') {
      // RFC 6749 §2.3.1: each part form-encoded before base64.
      const pair = `${formEncode(provider.clientId)}:${formEncode(provider.clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    } else {
      form.set('client_id', provider.clientId);
      if (provider.clientSecret) form.set('client_secret', provider.clientSecret);
    }
    const body = await this.json(provider.name, 'the token endpoint', tokenUrl, {
      method: 'POST',
      headers,
      body: form.toString(),
    });
    const parsed = tokenResponse.safeParse(body);
    if (!parsed.success) throw providerFailure(provider.name, 'the token endpoint gave no access token.');
    return parsed.data;
  }
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
