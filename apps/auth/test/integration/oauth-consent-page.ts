import type { MockProfile } from './oauth-provider.process.js';

/** The query parameter the consent page's buttons add to /authorize: `allow` or `deny`. */
export const DECISION = 'decision';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * The provider's own sign-in and consent page: who is signed in at the provider, which app asks,
 * and "Allow" / "Cancel". Both submit the authorization request again with a decision, so the
 * library's /authorize answers it (a code, or access_denied on "Cancel").
 */
export function consentPage(request: URLSearchParams, profile: MockProfile): string {
  const hidden = [...request]
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('');
  const who = `${profile.name ?? profile.sub}${profile.email ? ` (${profile.email})` : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mock ID: sign in</title></head>
<body><main>
<h1>Sign in with Mock ID</h1>
<p>Signed in at Mock ID as ${escape(who)}.</p>
<p>${escape(request.get('client_id') ?? 'An app')} asks for your name and email address.</p>
<form method="get" action="/authorize">${hidden}
<button type="submit" name="${DECISION}" value="allow">Allow</button>
<button type="submit" name="${DECISION}" value="deny">Cancel</button>
</form>
</main></body></html>`;
}
