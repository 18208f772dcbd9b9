/** What a non-browser client keeps between runs: the refresh token, and the device token of /login. */
export interface StoredTokens {
  /** Absent once signed out. */
  refreshToken?: string;
  deviceToken?: string;
}

/**
 * Where body mode keeps the refresh token (Node, native apps): memory by default; plug in a file, a
 * keychain or an encrypted store. Browsers use cookie mode instead and keep no refresh token at all.
 */
export interface TokenStore {
  load(): StoredTokens | null | Promise<StoredTokens | null>;
  save(tokens: StoredTokens): void | Promise<void>;
  clear(): void | Promise<void>;
}

/** A store in memory: the session lasts as long as the process. */
export function memoryTokenStore(initial: StoredTokens | null = null): TokenStore {
  let current = initial;
  return {
    load: () => current,
    save: (tokens) => {
      current = tokens;
    },
    clear: () => {
      // The device token outlives the session: the next sign-in from here still counts as this device.
      current = current?.deviceToken ? { deviceToken: current.deviceToken } : null;
    },
  };
}
