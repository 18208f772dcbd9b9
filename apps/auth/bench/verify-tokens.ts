// Part of `pnpm --filter @platform/auth bench` (packages/tokens cannot depend on benchkit, which
// depends on testkit, which depends on tokens): how long verifying an access token takes, beside jose (the
// library a third party verifying our tokens would use) on the same tokens and keys, in one process,
// interleaved in rounds so that a busy neighbour slows both alike. Writes the tokens section of
// docs/benchmarks.md.
import path from 'node:path';
import { importJWK, jwtVerify } from 'jose';
import {
  busyWarning,
  describeMachine,
  fmt,
  machineInfo,
  markdownTable,
  textTable,
  writeDocSection,
  type Row,
} from '@platform/benchkit';
import { AccessTokens, generateKeyPair, KeyRing, parseKeySet, type SigningAlgorithm } from '@platform/tokens';

const DOC = path.resolve(import.meta.dirname, '../../../docs/benchmarks.md');
const TOKENS_PER_ROUND = Number(process.env.BENCH_TOKENS ?? 3_000);
const ROUNDS = 5;
const subject = {
  userId: '7f0c7c3e-6b1e-4c41-9d5e-2f4b2f3f5a10',
  role: 'user',
  sessionId: 'b0f7e3c2-1d2a-4f8e-9c3b-5a6d7e8f9a0b',
  authTime: new Date(),
} as const;

interface Case {
  label: string;
  /** Sets a run up (untimed) and returns what is timed: verifying every token once. */
  prepare(tokens: string[]): Promise<() => Promise<void> | void>;
}

/** Microseconds per token for each case, best of the rounds (the least disturbed). */
async function measure(cases: Case[], fresh: () => string[]): Promise<Map<string, number>> {
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const item of round % 2 === 0 ? cases : [...cases].reverse()) {
      const tokens = fresh();
      const run = await item.prepare(tokens);
      const started = process.hrtime.bigint();
      await run();
      const micros = Number(process.hrtime.bigint() - started) / 1_000 / tokens.length;
      best.set(item.label, Math.min(best.get(item.label) ?? Infinity, micros));
    }
  }
  return best;
}

const BASELINE = 'jose jwtVerify (baseline)';

async function benchAlgorithm(alg: SigningAlgorithm): Promise<Row[]> {
  const { privateJwk, publicJwk } = generateKeyPair(alg);
  const settings = { issuer: 'http://localhost:8080', audience: 'platform' };
  const signer = new AccessTokens({
    ...settings,
    keys: new KeyRing(alg, parseKeySet(JSON.stringify({ keys: [privateJwk] }), 'private')),
  });
  const keys = new KeyRing(alg, parseKeySet(JSON.stringify({ keys: [publicJwk] }), 'public'));
  const joseKey = await importJWK(publicJwk, alg);
  const fresh = () => Array.from({ length: TOKENS_PER_ROUND }, () => signer.sign(subject).token);
  // A new verifier per run, so its cache starts empty, as after a restart.
  const verifyAll = (verifier: AccessTokens, tokens: string[]) => {
    for (const token of tokens) verifier.verify(token);
  };

  const cases: Case[] = [
    {
      label: BASELINE,
      prepare: async (tokens) => async () => {
        for (const token of tokens) await jwtVerify(token, joseKey, { ...settings, algorithms: [alg] });
      },
    },
    {
      label: 'AccessTokens.verify, first sight',
      prepare: async (tokens) => {
        const verifier = new AccessTokens({ ...settings, keys });
        return () => verifyAll(verifier, tokens);
      },
    },
    {
      label: 'AccessTokens.verify, seen before (cache)',
      prepare: async (tokens) => {
        const verifier = new AccessTokens({ ...settings, keys });
        verifyAll(verifier, tokens);
        return () => verifyAll(verifier, tokens);
      },
    },
  ];
  const best = await measure(cases, fresh);
  const baseline = best.get(BASELINE) ?? Number.NaN;
  return [...best].map(([label, micros]) => [
    alg,
    label,
    fmt(micros, micros < 10 ? 2 : 1),
    fmt(1e6 / micros, 0),
    fmt(baseline / micros, 2),
  ]);
}

const machine = await machineInfo();
const header: Row = ['alg', 'verify', 'µs/token', 'tokens/s', '× baseline speed'];
const rows: Row[] = [header, ...(await benchAlgorithm('EdDSA')), ...(await benchAlgorithm('ES256'))];
console.log(textTable(rows));
const warning = busyWarning(machine);
if (warning) console.log(warning);

writeDocSection(
  DOC,
  'tokens',
  [
    '## tokens: verifying an access token, against jose',
    '',
    `${describeMachine(machine)}; ${machine.date}. One process, ${TOKENS_PER_ROUND} fresh tokens per run, best of ${ROUNDS}`,
    'interleaved runs per case. The baseline is jose 6 `jwtVerify` with an imported key, the library a third',
    'party verifying our tokens would use; ours is the compact-JWS check over node:crypto that every service',
    'runs (header pinned to one algorithm, key by `kid`, claims through zod). "Seen before" is a token the',
    'process verified earlier (a client sending its token again): a map lookup and an expiry check.',
    '',
    markdownTable(rows),
    ...(warning ? ['', warning] : []),
  ].join('\n'),
);
