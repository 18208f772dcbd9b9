import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { MockCommand, MockProfile } from './oauth-provider.process.js';

/** The test's handle on the mock provider process. */
export interface MockProvider {
  url: string;
  /** The person who "signs in" at the provider from now on. */
  signInAs(profile: MockProfile): Promise<void>;
  failNextToken(): Promise<void>;
  /** Claims to force into the next id_token (to break it). */
  nextIdTokenClaims(claims: Record<string, unknown>): Promise<void>;
  stop(): void;
}

/**
 * Forks the provider (run by tsx, as ESM) and waits until it listens. `interactive`: a browser meets
 * a sign-in and consent page at /authorize, on a site of the provider's own (see the process).
 */
export async function startMockProvider(options: { interactive?: boolean } = {}): Promise<MockProvider> {
  const args = options.interactive ? ['--interactive'] : [];
  const child: ChildProcess = fork(join(__dirname, 'oauth-provider.process.ts'), args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`mock provider exited with ${code}`)));
    child.on('message', (message: { ready?: string }) => {
      if (message.ready) resolve(message.ready);
    });
  });
  let next = 0;
  const send = (command: MockCommand) =>
    new Promise<void>((resolve) => {
      const id = ++next;
      const onMessage = (message: { id?: number }) => {
        if (message.id !== id) return;
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
      child.send({ ...command, id });
    });
  return {
    url,
    signInAs: (profile) => send({ cmd: 'profile', profile }),
    failNextToken: () => send({ cmd: 'failNextToken' }),
    nextIdTokenClaims: (claims) => send({ cmd: 'nextIdTokenClaims', claims }),
    stop: () => {
      child.removeAllListeners('exit');
      child.kill();
    },
  };
}
