import path from 'node:path';
import type { Writable } from 'node:stream';
import { PRINT_CONFIG_FLAG } from '@platform/config';
import type { BackingResolution } from './backing-services.js';
import type { ChildRun } from './child-processes.js';
import type { StackConfig } from './config.js';
import { mailSinkOptions, smtpEnvFor, wantsMailSink } from './local-mail.js';
import {
  entryPointOf,
  partitionByBuilt,
  serviceEnv,
  sharedServiceEnv,
  mediaStorageDir,
  type ServiceSpec,
} from './service-table.js';
import { chooseMediaUrlSecret, chooseSigningKeys, serviceIdentityKeys, tokenIssuer } from './signing-keys.js';
import type { StackLog } from './stack-log.js';

export interface ConfigCheckDeps {
  config: StackConfig;
  baseEnv: NodeJS.ProcessEnv;
  appsDir: string;
  services: readonly ServiceSpec[];
  log: StackLog;
  /** Receives one JSON line per service: `{ "service", "settings" }`. */
  stdout: Writable;
  fileExists(file: string): boolean;
  resolveBacking(): Promise<BackingResolution>;
  runEntry(
    entry: string,
    args: readonly string[],
    options: { cwd: string; env: NodeJS.ProcessEnv },
  ): Promise<ChildRun>;
}

/** EX_CONFIG, as every service exits with when it refuses its settings. */
const EX_CONFIG = 78;

function lastJsonLine(output: string): unknown {
  const line = output.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * `STACK_CONFIG_CHECK=true pnpm start`: gives every service the environment a real run would give it,
 * has each parse it with its own schema (`node dist/index.js --print-config`), prints what each would
 * run with (secrets redacted) and exits, 0 when all accept their settings and 78 when one refuses.
 * Backing services are looked up as for a run, but nothing is migrated, started or listened on.
 */
export async function checkConfigs(deps: ConfigCheckDeps): Promise<number> {
  const { config, log } = deps;
  const { runnable, notBuilt } = partitionByBuilt(deps.services, deps.appsDir, deps.fileExists);
  if (notBuilt.length > 0) log.warn(`not built, so not checked: ${notBuilt.map((s) => s.name).join(', ')}`);
  if (runnable.length === 0) {
    log.error('No service is built. Run `pnpm build` (or `pnpm start` from the repository root).');
    return 1;
  }
  const backing = await deps.resolveBacking();
  if (!backing.ok) {
    log.error(backing.message);
    return 1;
  }
  try {
    // The sink is not started; its address is what the mail senders would be given.
    const sink = wantsMailSink(config, runnable) ? mailSinkOptions(config) : undefined;
    const shared = {
      ...sharedServiceEnv(
        config,
        backing.urls,
        {
          keys: {
            ...chooseSigningKeys(config, deps.baseEnv.JWT_PRIVATE_KEYS),
            service: serviceIdentityKeys(config.JWT_ALGORITHM, deps.baseEnv.SERVICE_TOKEN_KEYS),
          },
          issuer: tokenIssuer(config),
        },
        smtpEnvFor(sink),
      ),
      mediaDir: mediaStorageDir(deps.baseEnv, path.dirname(deps.appsDir)),
      mediaUrlSecret: chooseMediaUrlSecret(config).secret,
    };
    const runs = await Promise.all(
      runnable.map((spec) =>
        deps.runEntry(entryPointOf(deps.appsDir, spec), [PRINT_CONFIG_FLAG], {
          cwd: path.join(deps.appsDir, spec.dir),
          env: serviceEnv(deps.baseEnv, spec, shared),
        }),
      ),
    );
    let refused = 0;
    runs.forEach((run, index) => {
      const name = runnable[index]?.name ?? '?';
      const printed = run.code === 0 ? lastJsonLine(run.stdout) : undefined;
      if (typeof printed === 'object' && printed !== null && 'settings' in printed) {
        deps.stdout.write(`${JSON.stringify({ service: name, settings: printed.settings })}\n`);
        return;
      }
      refused += 1;
      log.error(`${name} refuses its settings (exit ${run.code ?? 'unknown'}):\n${run.stderr.trim()}`);
    });
    if (refused === 0)
      log.info(`every service accepts its settings (${runnable.map((s) => s.name).join(', ')})`);
    return refused === 0 ? 0 : EX_CONFIG;
  } finally {
    await backing.stop();
  }
}
