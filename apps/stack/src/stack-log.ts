import type { Writable } from 'node:stream';

/** The launcher's own human-readable lines (services log JSON through their own prefixes). */
export interface StackLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

const RANK: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: 100,
};

/** Writes `text` line by line, each line behind `prefix`, so multi-line messages stay attributed. */
export function writePrefixed(stream: Writable, prefix: string, text: string): void {
  stream.write(
    `${text
      .split('\n')
      .map((line) => `${prefix}${line}`)
      .join('\n')}\n`,
  );
}

/** Pads a process name into a fixed-width column prefix such as `auth  | `. */
export function prefixFor(name: string, width: number): string {
  return `${name.padEnd(width)} | `;
}

/** A level-filtered logger in the same column layout as the services' output. */
export function createStackLog(level: LogLevel, out: Writable, err: Writable, prefix: string): StackLog {
  const at = (wanted: LogLevel) => RANK[wanted] >= RANK[level];
  return {
    info: (message) => (at('info') ? writePrefixed(out, prefix, message) : undefined),
    warn: (message) => (at('warn') ? writePrefixed(err, prefix, message) : undefined),
    error: (message) => (at('error') ? writePrefixed(err, prefix, message) : undefined),
  };
}
