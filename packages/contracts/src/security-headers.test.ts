import { webAppContentSecurityPolicy } from './security-headers.js';

describe('webAppContentSecurityPolicy', () => {
  it('allows only the own origin for scripts and frames nothing', () => {
    const policy = webAppContentSecurityPolicy('127.0.0.1:8080', false);
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("img-src 'self' data:");
    expect(policy).not.toContain('unsafe-inline');
  });

  it('names the socket origin of the host, wss over TLS', () => {
    expect(webAppContentSecurityPolicy('127.0.0.1:8080', false)).toContain(
      "connect-src 'self' ws://127.0.0.1:8080;",
    );
    expect(webAppContentSecurityPolicy('app.example.com', true)).toContain(
      "connect-src 'self' wss://app.example.com;",
    );
    expect(webAppContentSecurityPolicy('[::1]:8080', false)).toContain('ws://[::1]:8080');
  });

  it('leaves out a Host header that could smuggle a directive in', () => {
    for (const host of ['evil.test; script-src *', 'a b', '', undefined]) {
      expect(webAppContentSecurityPolicy(host, false)).toContain("connect-src 'self';");
    }
  });
});
