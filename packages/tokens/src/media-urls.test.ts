import { MediaUrlSigner } from './media-urls.js';

const id = '0b6f8f3e-2c1d-4c47-9d2a-7f1e2d3c4b5a';
const path = `/media/${id}/content`;

function signerAt(seconds: number, secret = 's3cret') {
  const clock = { now: seconds * 1000 };
  const signer = new MediaUrlSigner(secret, { ttlSeconds: 3600, now: () => clock.now });
  return { signer, clock };
}

function parse(url: string) {
  const parsed = new URL(url, 'http://x');
  return {
    path: parsed.pathname,
    exp: Number(parsed.searchParams.get('exp')),
    sig: parsed.searchParams.get('sig') ?? '',
  };
}

describe('MediaUrlSigner', () => {
  it('signs a media path so that the same secret verifies it', () => {
    const { signer } = signerAt(1_000_000);
    const signed = parse(signer.sign(path));
    expect(signed.path).toBe(path);
    expect(signer.verify(signed.path, signed)).toBe(true);
  });

  it('hands out the same URL within a window, lasting at least the TTL', () => {
    const { signer, clock } = signerAt(1_000_000);
    const first = signer.sign(path);
    clock.now += 60_000;
    expect(signer.sign(path)).toBe(first);
    expect(parse(first).exp - 1_000_060).toBeGreaterThanOrEqual(3600);
  });

  it('refuses an expired URL, another path, another secret and a tampered signature', () => {
    const { signer, clock } = signerAt(1_000_000);
    const signed = parse(signer.sign(path));
    expect(signer.verify(`/media/${id}/thumbnail`, signed)).toBe(false);
    expect(signerAt(1_000_000, 'other').signer.verify(path, signed)).toBe(false);
    expect(signer.verify(path, { ...signed, sig: `${signed.sig.slice(0, -1)}A` })).toBe(false);
    expect(signer.verify(path, { ...signed, exp: signed.exp + 1 })).toBe(false);
    expect(signer.verify(path, { exp: signed.exp })).toBe(false);
    clock.now = signed.exp * 1000;
    expect(signer.verify(path, signed)).toBe(false);
  });

  it("keeps an avatar's size and drops any other query", () => {
    const { signer } = signerAt(1_000_000);
    const avatar = signer.sign(`/media/${id}/thumbnail?size=64&exp=1&sig=old`);
    expect(avatar).toMatch(new RegExp(`^/media/${id}/thumbnail\\?size=64&exp=\\d+&sig=[\\w-]+$`));
    expect(() => signer.sign('/media/../etc/passwd')).toThrow();
  });
});
