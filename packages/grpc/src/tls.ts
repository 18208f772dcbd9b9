import { readFileSync } from 'node:fs';

/** Where a server's or client's TLS material lives (PEM files, mounted from a Secret in a cluster). */
export interface TlsFiles {
  certFile?: string | undefined;
  keyFile?: string | undefined;
  /** Server: client certificates must chain to it (mTLS). Client: the server's certificate must. */
  caFile?: string | undefined;
}

/** The PEM contents, read once at start-up. */
export interface TlsMaterial {
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  ca?: Buffer | undefined;
}

/** Reads the files that are set; undefined when none is (plaintext, the default inside a pod network). */
export function readTls(files: TlsFiles): TlsMaterial | undefined {
  const read = (path: string | undefined) => (path === undefined ? undefined : readFileSync(path));
  if (files.certFile === undefined && files.keyFile === undefined && files.caFile === undefined)
    return undefined;
  return { cert: read(files.certFile), key: read(files.keyFile), ca: read(files.caFile) };
}
