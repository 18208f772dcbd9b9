// `node packages/tokens/dist/keygen-cli.js [EdDSA|ES256] [--out <dir>]`: a new access-token signing key.
// Without --out it prints the settings that carry it, quoted for a shell or a .env file: the private
// set for auth only, the public set for every verifier. With --out it writes the two JWK Sets as raw
// JSON files, the form `kubectl create secret/configmap --from-file` takes (infra/README.md).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateKeyPair, SIGNING_ALGORITHMS, type SigningAlgorithm } from './keys.js';

const usage = `usage: keygen-cli.js [${SIGNING_ALGORITHMS.join('|')}] [--out <dir>]\n`;

function fail(): never {
  process.stderr.write(usage);
  process.exit(64); // EX_USAGE
}

function parse(): { alg: SigningAlgorithm; out: string | undefined } {
  try {
    const { values, positionals } = parseArgs({
      options: { out: { type: 'string' } },
      allowPositionals: true,
    });
    const alg = positionals[0] ?? 'EdDSA';
    if (positionals.length > 1 || !SIGNING_ALGORITHMS.some((known) => known === alg)) fail();
    return { alg: alg as SigningAlgorithm, out: values.out };
  } catch {
    return fail();
  }
}

const { alg, out } = parse();
const { privateJwk, publicJwk } = generateKeyPair(alg);
const privateSet = JSON.stringify({ keys: [privateJwk] });
const publicSet = JSON.stringify({ keys: [publicJwk] });

if (out === undefined) {
  process.stdout.write(
    `JWT_ALGORITHM=${alg}\nJWT_PRIVATE_KEYS='${privateSet}'\nJWT_PUBLIC_KEYS='${publicSet}'\n`,
  );
} else {
  const privateFile = path.join(out, 'jwt-private-keys.json');
  const publicFile = path.join(out, 'jwt-public-keys.json');
  try {
    // The private set is a secret: readable by its owner only, and never overwritten by accident.
    writeFileSync(privateFile, `${privateSet}\n`, { mode: 0o600, flag: 'wx' });
    writeFileSync(publicFile, `${publicSet}\n`, { flag: 'wx' });
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error && error.code === 'EEXIST' ? 'exists' : String(error);
    process.stderr.write(`keygen-cli: cannot write the key files in ${out}: ${reason}\n`);
    process.exit(73); // EX_CANTCREAT
  }
  process.stdout.write(`kid ${publicJwk.kid} (${alg}): wrote ${privateFile} and ${publicFile}\n`);
}
