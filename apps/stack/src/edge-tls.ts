import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import type { StackConfig } from './config.js';
import { describeError } from './errors.js';

/** What the edge serves HTTPS with: PEM text, read from the configured files or made for the run. */
export interface EdgeTls {
  cert: string;
  key: string;
  /** True when the certificate was made for this run (browsers will warn; curl needs its file or -k). */
  selfSigned: boolean;
}

type TlsSettings = Pick<StackConfig, 'EDGE_TLS_CERT' | 'EDGE_TLS_KEY' | 'EDGE_TLS_SELF_SIGNED' | 'EDGE_HOST'>;

/** Thrown when a configured certificate or key cannot be read; the message names the setting and file. */
export class EdgeTlsError extends Error {
  override name = 'EdgeTlsError';
}

async function readPem(setting: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new EdgeTlsError(`${setting}=${file} cannot be read: ${describeError(error)}`);
  }
}

/** Names a certificate made for a local run must cover: the loopback names and the edge's own host. */
function altNames(host: string): { type: 2 | 7; value?: string; ip?: string }[] {
  const names = new Set(['localhost', '127.0.0.1', '::1']);
  // 0.0.0.0 / :: are bind-all addresses, not names anyone browses to.
  if (host !== '0.0.0.0' && host !== '::') names.add(host);
  return [...names].map((name) => (net.isIP(name) !== 0 ? { type: 7, ip: name } : { type: 2, value: name }));
}

const SELF_SIGNED_DAYS = 7;

/** The edge's TLS material, or undefined for plain HTTP (neither a certificate nor the flag is set). */
export async function loadEdgeTls(config: TlsSettings, now = new Date()): Promise<EdgeTls | undefined> {
  if (config.EDGE_TLS_CERT !== undefined && config.EDGE_TLS_KEY !== undefined) {
    // One after the other, so that with both files wrong the message always names the first.
    const cert = await readPem('EDGE_TLS_CERT', config.EDGE_TLS_CERT);
    const key = await readPem('EDGE_TLS_KEY', config.EDGE_TLS_KEY);
    return { cert, key, selfSigned: false };
  }
  if (!config.EDGE_TLS_SELF_SIGNED) return undefined;
  // P-256 and SHA-256: fast to make at every start, and accepted by every current TLS client.
  const pems = await generate([{ name: 'commonName', value: 'platform local edge' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + SELF_SIGNED_DAYS * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: altNames(config.EDGE_HOST) },
    ],
  });
  return { cert: pems.cert, key: pems.private, selfSigned: true };
}

/**
 * Writes a generated certificate where a client can be told to trust it (`curl --cacert`), replacing
 * the previous run's; returns the file's path. Only the certificate: the key never leaves memory.
 */
export async function saveCertificate(cert: string, dir = tmpdir()): Promise<string> {
  const file = path.join(dir, 'platform-edge-cert.pem');
  await writeFile(file, cert, { mode: 0o644 });
  return file;
}
