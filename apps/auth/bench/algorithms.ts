import argon2 from 'argon2';
import bcrypt from 'bcrypt';

/**
 * A password hash as the bench runs it: the settings that make auth use it, and the same hash and
 * verify done directly (the baseline server and the idle timing), at the same work factors.
 */
export interface BenchAlgorithm {
  name: 'argon2id' | 'bcrypt';
  /** For tables: the algorithm with its work factors. */
  label: string;
  /** What auth is started with to hash this way. */
  env: Record<string, string>;
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** OWASP's Argon2id parameters, the service's defaults. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
/** bcrypt at cost 10, the floor production accepts (the service default is 12). */
const BCRYPT_COST = 10;

export const ALGORITHMS: Record<BenchAlgorithm['name'], BenchAlgorithm> = {
  argon2id: {
    name: 'argon2id',
    label: `Argon2id m=${ARGON2.memoryCost} KiB t=${ARGON2.timeCost} p=${ARGON2.parallelism}`,
    env: {
      PASSWORD_HASH_ALGORITHM: 'argon2id',
      ARGON2_MEMORY_KIB: String(ARGON2.memoryCost),
      ARGON2_TIME_COST: String(ARGON2.timeCost),
      ARGON2_PARALLELISM: String(ARGON2.parallelism),
    },
    hash: (password) => argon2.hash(password, { type: argon2.argon2id, ...ARGON2 }),
    verify: (hash, password) => argon2.verify(hash, password),
  },
  bcrypt: {
    name: 'bcrypt',
    label: `bcrypt cost ${BCRYPT_COST}`,
    env: { PASSWORD_HASH_ALGORITHM: 'bcrypt', BCRYPT_COST: String(BCRYPT_COST) },
    hash: (password) => bcrypt.hash(password, BCRYPT_COST),
    verify: (hash, password) => bcrypt.compare(password, hash),
  },
};
