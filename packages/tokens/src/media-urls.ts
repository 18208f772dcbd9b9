import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The paths a signature may open: a medium's bytes or its thumbnail (avatar crops pick `?size=`). */
const SIGNABLE = /^\/media\/([0-9a-f-]{36})\/(content|thumbnail)$/;

/** What a signed media URL carries besides its path. */
export interface MediaUrlSignature {
  exp: number;
  sig: string;
}

export interface MediaUrlSignerOptions {
  /** How long a URL works at least, in seconds. */
  ttlSeconds: number;
  /** The clock, in ms; tests move it. */
  now?: () => number;
}

/**
 * Mints and checks the signed media URLs every service hands to browsers (`<img src>` cannot send a
 * bearer token): `/media/{id}/content?exp=<unix s>&sig=<base64url HMAC-SHA256 of "path\nexp">`.
 * The expiry is rounded up to a window of a quarter of the TTL, so the same medium gets the same
 * URL for a while and browsers and proxies can cache it. A signature says "this path was handed
 * out"; the media service still checks the medium exists and its owner is visible.
 */
export class MediaUrlSigner {
  private readonly key: Buffer;
  private readonly ttl: number;
  private readonly window: number;
  private readonly now: () => number;

  constructor(secret: string, options: MediaUrlSignerOptions) {
    // Hashed, so a secret of any length and alphabet makes a full-width key.
    this.key = createHash('sha256').update(`media-url:${secret}`).digest();
    this.ttl = options.ttlSeconds;
    this.window = Math.max(1, Math.floor(options.ttlSeconds / 4));
    this.now = options.now ?? Date.now;
  }

  /**
   * `path` (`/media/{id}/content`, or `.../thumbnail` with an optional `?size=`) with `exp` and `sig`
   * added; any other query (an old signature) is dropped.
   */
  sign(path: string): string {
    const [bare = '', query = ''] = path.split('?', 2);
    if (!SIGNABLE.test(bare)) throw new Error(`not a media path: ${bare}`);
    const size = new URLSearchParams(query).get('size');
    const nowSeconds = Math.floor(this.now() / 1000);
    const exp = (Math.floor(nowSeconds / this.window) + 1) * this.window + this.ttl;
    return `${bare}?${size ? `size=${encodeURIComponent(size)}&` : ''}exp=${exp}&sig=${this.mac(bare, exp)}`;
  }

  /** True when `sig` was made by this secret for `path` (without query) and `exp` has not passed. */
  verify(path: string, signature: Partial<MediaUrlSignature>): boolean {
    const { exp, sig } = signature;
    if (exp === undefined || sig === undefined || !Number.isSafeInteger(exp)) return false;
    if (exp * 1000 <= this.now() || !SIGNABLE.test(path)) return false;
    const expected = Buffer.from(this.mac(path, exp));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(path: string, exp: number): string {
    return createHmac('sha256', this.key).update(`${path}\n${exp}`).digest('base64url');
  }
}

/**
 * The secret used when MEDIA_URL_SECRET is unset outside production (tests, a bare `node dist`):
 * public, so it protects nothing; config refuses production without a real one.
 */
export const INSECURE_DEV_MEDIA_URL_SECRET = 'insecure-dev-media-url-secret';
