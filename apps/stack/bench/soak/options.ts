import { parseArgs } from 'node:util';

/** What one soak run does; every field has a flag (`--minutes 10`, `--sockets 60`...). */
export interface SoakOptions {
  minutes: number;
  /** Chat users, one socket each. */
  sockets: number;
  groupSize: number;
  registerPerSecond: number;
  loginPerSecond: number;
  profilePerSecond: number;
  sendPerSecond: number;
  /** Each socket is cut on average once in this many seconds. */
  reconnectEverySeconds: number;
  sampleSeconds: number;
  /** A process leaks when its RSS grows faster than this over the second half (and by more than `leakMinRssMiB`). */
  leakRssMiBPerMinute: number;
  leakMinRssMiB: number;
  /** The same for open file descriptors. */
  leakFdsPerMinute: number;
  leakMinFds: number;
  /** The trend test follows the lowest value over this many trailing seconds (past one GC cycle). */
  leakWindowSeconds: number;
  /** Write docs/benchmarks.md and the plot (off for quick tries: `--no-doc`). */
  doc: boolean;
}

const NUMBERS = {
  minutes: 1,
  sockets: 40,
  'group-size': 5,
  'register-rate': 1,
  'login-rate': 2,
  'profile-rate': 20,
  'send-rate': 10,
  'reconnect-every': 60,
  'sample-seconds': 5,
  'leak-rss-mib-per-minute': 1,
  'leak-min-rss-mib': 5,
  'leak-fds-per-minute': 1,
  'leak-min-fds': 5,
  'leak-window': 120,
} as const;

export const USAGE = `pnpm bench:soak [--minutes ${NUMBERS.minutes}] [--sockets ${NUMBERS.sockets}] [--send-rate ${NUMBERS['send-rate']}] [--no-doc]
  rates per second: --register-rate ${NUMBERS['register-rate']} --login-rate ${NUMBERS['login-rate']} --profile-rate ${NUMBERS['profile-rate']} --send-rate ${NUMBERS['send-rate']}
  --reconnect-every <s>  each socket is cut about once in this many seconds (${NUMBERS['reconnect-every']})
  --group-size <n> (${NUMBERS['group-size']})  --sample-seconds <s> (${NUMBERS['sample-seconds']})
  leak thresholds over the second half: --leak-rss-mib-per-minute ${NUMBERS['leak-rss-mib-per-minute']} --leak-min-rss-mib ${NUMBERS['leak-min-rss-mib']} --leak-fds-per-minute ${NUMBERS['leak-fds-per-minute']} --leak-min-fds ${NUMBERS['leak-min-fds']}
  --leak-window <s>  the trend follows the lowest value over this many trailing seconds (${NUMBERS['leak-window']})`;

/** Parses the flags; throws with the usage on anything unknown or not a positive number. */
export function parseOptions(argv: readonly string[]): SoakOptions {
  // pnpm and turbo pass a `--` along with the user's flags; it separates nothing here.
  const args = argv.filter((arg) => arg !== '--');
  const { values } = parseArgs({
    args,
    options: {
      ...Object.fromEntries(Object.keys(NUMBERS).map((name) => [name, { type: 'string' as const }])),
      'no-doc': { type: 'boolean' },
    },
    strict: true,
  });
  const given: Record<string, string | boolean | undefined> = values;
  const number = (name: keyof typeof NUMBERS): number => {
    const raw = given[name];
    const value = typeof raw === 'string' ? Number(raw) : NUMBERS[name];
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`--${name} must be a positive number\n${USAGE}`);
    return value;
  };
  return {
    minutes: number('minutes'),
    sockets: Math.max(2, Math.round(number('sockets'))),
    groupSize: Math.max(2, Math.round(number('group-size'))),
    registerPerSecond: number('register-rate'),
    loginPerSecond: number('login-rate'),
    profilePerSecond: number('profile-rate'),
    sendPerSecond: number('send-rate'),
    reconnectEverySeconds: number('reconnect-every'),
    sampleSeconds: number('sample-seconds'),
    leakRssMiBPerMinute: number('leak-rss-mib-per-minute'),
    leakMinRssMiB: number('leak-min-rss-mib'),
    leakFdsPerMinute: number('leak-fds-per-minute'),
    leakMinFds: number('leak-min-fds'),
    leakWindowSeconds: number('leak-window'),
    doc: values['no-doc'] !== true,
  };
}
