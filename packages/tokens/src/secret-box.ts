import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** One AES-256 key and the id stored beside everything it sealed. */
export interface SealKey {
  kid: string;
  key: Buffer;
}

const KID = /^[A-Za-z0-9_-]{1,32}$/;
const VERSION = 'v1';

/**
 * Parses a keyring setting (`TOTP_ENCRYPTION_KEYS`, `EMAIL_SEAL_KEYS`): comma-separated `kid:base64key` entries, each key 32 bytes. The
 * first seals; every one opens, so a new key is rotated in by putting it first and the old ones
 * stay until nothing sealed with them is left. Throws with every problem named.
 */
export function parseKeyring(spec: string): SealKey[] {
  const problems: string[] = [];
  const keys: SealKey[] = [];
  for (const [index, entry] of spec
    .split(',')
    .map((e) => e.trim())
    .entries()) {
    const at = entry.indexOf(':');
    const kid = at > 0 ? entry.slice(0, at) : '';
    const key = Buffer.from(entry.slice(at + 1), 'base64');
    if (!KID.test(kid))
      problems.push(`entry ${index + 1}: expected kid:base64key with kid [A-Za-z0-9_-]{1,32}`);
    else if (key.length !== 32) problems.push(`entry ${index + 1} (${kid}): key must be 32 bytes of base64`);
    else if (keys.some((k) => k.kid === kid)) problems.push(`entry ${index + 1}: kid ${kid} appears twice`);
    else keys.push({ kid, key });
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return keys;
}

/**
 * The key used when none is configured outside production: derived from a public string, so it
 * protects nothing and its kid says so. Config refuses to start production without real keys.
 */
export function insecureDevKeyring(purpose: 'totp' | 'email'): SealKey[] {
  const key = createHash('sha256').update(`platform/${purpose}/dev-key/INSECURE`).digest();
  return [{ kid: 'dev-insecure', key }];
}

/**
 * AES-256-GCM for small secrets at rest, sealed as `v1:kid:iv:tag:ciphertext` (base64url parts).
 * `context` is bound as associated data (e.g. the owning user id), so a sealed value copied into
 * another row does not open there.
 */
export class SecretBox {
  private readonly byKid: Map<string, Buffer>;
  private readonly current: SealKey;

  constructor(keys: SealKey[]) {
    const [current] = keys;
    if (!current) throw new Error('SecretBox needs at least one key');
    this.current = current;
    this.byKid = new Map(keys.map((k) => [k.kid, k.key]));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
    return [VERSION, this.current.kid, ...parts].join(':');
  }

  /** Opens a sealed value; throws when it is malformed, its key is unknown, or it was altered. */
  open(sealed: string, context: string): string {
    const [version, kid, iv, tag, ciphertext, ...rest] = sealed.split(':');
    if (version !== VERSION || !kid || !iv || !tag || ciphertext === undefined || rest.length > 0)
      throw new Error('malformed sealed secret');
    const key = this.byKid.get(kid);
    if (!key) throw new Error(`no key with kid ${kid} to open this secret`);
    // A fixed tag length: a truncated tag would otherwise be accepted and weaken the check.
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
      authTagLength: 16,
    });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
