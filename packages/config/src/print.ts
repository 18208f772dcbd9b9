import { z } from 'zod';

/**
 * What the printed configuration may say about a setting. `secret` settings print as `[redacted]`,
 * or as `show(value)` when the value has a public face (the key ids of a keyring, say).
 */
export interface SettingInfo {
  secret?: boolean;
  show?: (value: never) => unknown;
}

/** Marks settings in a schema; read by `printableConfig`. */
export const settingInfo = z.registry<SettingInfo>();

/** Registers how a (non-secret) setting prints when its parsed value is no plain JSON (key objects, say). */
export function shownAs<T extends z.ZodType>(schema: T, show: (value: z.output<T>) => unknown): T {
  settingInfo.add(schema, { show: show as never });
  return schema;
}

/** Registers `schema` as a secret setting, optionally with the public view that may be printed. */
export function secret<T extends z.ZodType>(schema: T, show?: (value: z.output<T>) => unknown): T {
  settingInfo.add(schema, show === undefined ? { secret: true } : { secret: true, show: show as never });
  return schema;
}

// A safety net for settings nobody marked: names that end in a word for a secret are treated as one
// (SMTP_PASSWORD, but not PASSWORD_RESET_TTL_SECONDS), and so is anything private.
const SECRET_WORDS = new Set(['SECRET', 'PASSWORD', 'KEY', 'KEYS', 'CREDENTIALS']);
const SECRET_PROPERTY = /secret|password|private/i;

function infoOf(schema: z.ZodType): SettingInfo | undefined {
  // Wrappers (optional, default, pipe, ...) are new schemas; the mark sits on the one inside.
  for (let current: z.ZodType | undefined = schema; current !== undefined;) {
    const info = settingInfo.get(current);
    if (info !== undefined) return info;
    const def = current._zod.def as { innerType?: z.ZodType; in?: z.ZodType };
    current = def.innerType ?? def.in;
  }
  return undefined;
}

function secretByName(key: string): boolean {
  const words = key.split('_');
  if (words.includes('PUBLIC')) return false;
  return words.includes('PRIVATE') || SECRET_WORDS.has(words[words.length - 1] ?? '');
}

/** `scheme://user:***@host/...`: a URL with its password hidden; anything else unchanged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(value)) return redactUrl(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SECRET_PROPERTY.test(key) && inner !== undefined ? '[redacted]' : redactValue(inner),
      ]),
    );
  }
  return value;
}

/**
 * A parsed configuration as an operator may see it: every setting of the schema (unset ones as
 * null), secrets redacted, passwords inside URLs hidden.
 */
export function printableConfig(schema: z.ZodType, config: Record<string, unknown>): Record<string, unknown> {
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
  const keys = new Set([...Object.keys(shape), ...Object.keys(config)]);
  const printed: Record<string, unknown> = {};
  for (const key of [...keys].sort()) {
    const value = config[key];
    const field = shape[key];
    const info = field === undefined ? undefined : infoOf(field);
    if (value === undefined) printed[key] = null;
    else if (info?.show !== undefined) printed[key] = (info.show as (v: unknown) => unknown)(value);
    else if (info?.secret === true || secretByName(key)) printed[key] = '[redacted]';
    else printed[key] = redactValue(value);
  }
  return printed;
}
