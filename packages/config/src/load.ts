import { type z } from 'zod';
import { printableConfig } from './print.js';

/** Thrown when the environment does not satisfy a schema; lists every problem, not only the first. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Parses `env` with `schema`. Empty strings count as unset so `FOO=` falls back to the default. */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
}

/** The flag that makes an entry point print its parsed settings (secrets redacted) and exit. */
export const PRINT_CONFIG_FLAG = '--print-config';

/**
 * For entry points: parse, or print every problem and exit 78. Started with `--print-config`, it
 * prints the parsed settings as one JSON line (`{ "settings": { ... } }`, secrets redacted) and
 * exits 0 instead of returning: the operator's (and the launcher's) way to see what a service
 * would run with.
 */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  env: Env = process.env,
  argv: readonly string[] = process.argv,
): z.infer<S> {
  let config: z.infer<S>;
  try {
    config = loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  if (argv.includes(PRINT_CONFIG_FLAG)) {
    process.stdout.write(
      `${JSON.stringify({ settings: printableConfig(schema, config as Record<string, unknown>) })}\n`,
    );
    process.exit(0);
  }
  return config;
}
