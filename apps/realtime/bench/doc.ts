import { busyWarning, describeMachine, fmt, markdownTable, type Row } from '@platform/benchkit';
import { fanoutProse, warnings } from './prose.js';
import {
  TARGET_RATIO,
  TARGET_RATIO_SOCKET_IO,
  TARGET_P99_MS,
  TARGET_SOCKETS,
  resultRows,
  ratios,
  targets,
  closes,
  SUBJECTS,
  type FanoutResults,
} from './results.js';
import { PREFETCH, REALTIME_COALESCED, SOCKET_IO } from './servers.js';

const ratioList = (xs: Array<{ ratio: number; rate: number }>) =>
  xs.map((x) => `${fmt(x.ratio, 1)}× at ${x.rate} msg/s`).join(', ') || 'not measured';

export function targetLines(r: FanoutResults): string[] {
  return SUBJECTS.filter((subject) => r.servers.some((s) => s.label === subject)).flatMap((subject) => {
    const t = targets(r, subject);
    return [
      `${t.socketIoMet ? 'PASS' : 'MISS'}: ${subject} ÷ Socket.IO deliveries per server CPU-second at ` +
        `${TARGET_SOCKETS} sockets >= ${TARGET_RATIO_SOCKET_IO}× (measured: ${ratioList(t.socketIoAt1000)})`,
      `${t.ratioMet ? 'PASS' : 'MISS'}: ${subject} ÷ ws deliveries per server CPU-second at ${TARGET_SOCKETS} sockets ` +
        `>= ${TARGET_RATIO}× (measured: ${ratioList(t.at1000)})`,
      `${t.p99Met ? 'PASS' : 'MISS'}: ${subject} publish-to-receive p99 < ${TARGET_P99_MS} ms at ${TARGET_SOCKETS} ` +
        `sockets, ${t.steady} msg/s (measured: ${fmt(t.p99, 2)} ms` +
        `${t.complete ? '' : ', and not every frame arrived'})`,
    ];
  });
}

/** One sentence of the result line: ratios and p99 against the targets for one realtime server. */
function resultSentence(r: FanoutResults, subject: string): string {
  const t = targets(r, subject);
  const list = (xs: Array<{ ratio: number; rate: number }>) =>
    xs.map((x) => `${fmt(x.ratio, 1)}× (${x.rate} msg/s)`).join(' and ') || 'n/a';
  return `${subject} delivers ${list(t.socketIoAt1000)} Socket.IO's frames per server CPU-second (target >= ${TARGET_RATIO_SOCKET_IO}×: ${t.socketIoMet ? 'met' : 'missed'}) and ${list(t.at1000)} the \`ws\` baseline's (target >= ${TARGET_RATIO}×: ${t.ratioMet ? 'met' : 'missed'}), with a publish-to-receive p99 at ${t.steady} msg/s of ${fmt(t.p99, 2)} ms (target < ${TARGET_P99_MS} ms: ${t.p99Met ? 'met' : 'missed'})`;
}

/** Memory and connect time of each server. */
export function serverRows({ servers }: FanoutResults): Row[] {
  return [
    [
      'server',
      'sockets',
      'connect s',
      'RSS idle MiB',
      `RSS with sockets MiB`,
      'KiB per socket',
      'V8 heap used MiB: idle → connected → after the runs',
      'connect failures',
      'open at the first run (server says)',
      'own frames during connect',
    ],
    ...servers.map((s): Row => {
      const perSocket =
        s.rssIdleMiB === undefined || s.rssWithSocketsMiB === undefined
          ? undefined
          : ((s.rssWithSocketsMiB - s.rssIdleMiB) * 1024) / s.sockets;
      return [
        s.label,
        String(s.sockets),
        fmt(s.connectSeconds, 1),
        fmt(s.rssIdleMiB, 0),
        fmt(s.rssWithSocketsMiB, 0),
        fmt(perSocket, 1),
        s.heapUsedMiB === undefined
          ? 'n/a'
          : `${fmt(s.heapIdleMiB, 0)} → ${fmt(s.heapUsedMiB, 0)} → ${fmt(s.heapUsedAfterRunsMiB, 0)}`,
        closes(s.connectErrors),
        `${s.runs[0]?.openAtStart ?? s.open}${s.serverConnections === undefined ? '' : ` (${s.serverConnections})`}`,
        String(s.framesDuringConnect),
      ];
    }),
  ];
}

export function ratioRows(r: FanoutResults): Row[] {
  const lookup = (
    xs: Array<{ sockets: number; rate: number; ratio: number }>,
    sockets: number,
    rate: number,
  ) => {
    const found = xs.find((y) => y.sockets === sockets && y.rate === rate);
    return found ? `${fmt(found.ratio, 2)}×` : 'n/a';
  };
  const socketIo = ratios(r, SOCKET_IO);
  const windowed = ratios(r, undefined, REALTIME_COALESCED);
  const windowedSocketIo = ratios(r, SOCKET_IO, REALTIME_COALESCED);
  return [
    [
      'sockets',
      'offered msg/s',
      'realtime ÷ ws, deliveries per server CPU-s',
      'realtime ÷ Socket.IO',
      `${REALTIME_COALESCED} ÷ ws`,
      `${REALTIME_COALESCED} ÷ Socket.IO`,
    ],
    ...ratios(r).map((x): Row => [
      String(x.sockets),
      String(x.rate),
      `${fmt(x.ratio, 2)}×`,
      lookup(socketIo, x.sockets, x.rate),
      lookup(windowed, x.sockets, x.rate),
      lookup(windowedSocketIo, x.sockets, x.rate),
    ]),
  ];
}

export function fanoutSection(r: FanoutResults): string {
  const measured = SUBJECTS.filter((subject) => r.servers.some((s) => s.label === subject));
  return `## Realtime fanout: \`chat.frame\` to every socket, against Socket.IO and a plain \`ws\` broadcast

Measured ${r.machine.date} on ${describeMachine(r.machine)}; the whole bench took ${fmt(r.totalSeconds, 0)} s.
Command: \`pnpm --filter @platform/realtime bench\` after \`pnpm build\` (or \`pnpm bench\` at the root).
${warnings(r)}
**Result at ${TARGET_SOCKETS} sockets${busyWarning(r.machine) ? ' (on a busy machine: not a valid check of the targets until rerun on a quiet one)' : ''}: ${measured.map((subject) => resultSentence(r, subject)).join('; ')}.**

${markdownTable(resultRows(r))}

${markdownTable(ratioRows(r))}

${markdownTable(serverRows(r))}

${fanoutProse(r, PREFETCH)}
`;
}
