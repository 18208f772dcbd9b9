import { busyWarning, describeMachine, fmt, markdownTable, type MachineInfo } from '@platform/benchkit';

export interface MediaResults {
  machine: MachineInfo;
  throughput: { files: number; fileMiB: number; seconds: number };
  memory: { uploads: number; fileMiB: number; idleMiB: number; peakMiB: number; seconds: number };
  thumbnails: { images: number; width: number; height: number; seconds: number; concurrency: number };
}

/** Issue 15's target: four 50 MB uploads streaming at once grow the media process by less than this. */
export const RSS_TARGET_MIB = 64;

export function resultRows(r: MediaResults): string[][] {
  const { throughput: t, memory: m, thumbnails: th } = r;
  const growth = m.peakMiB - m.idleMiB;
  return [
    ['measure', 'result', 'how'],
    [
      'upload throughput',
      `${fmt((t.files * t.fileMiB) / t.seconds)} MiB/s`,
      `${t.files} uploads of ${t.fileMiB} MiB, one after another`,
    ],
    [
      'RSS growth, 4 uploads at once',
      `${fmt(growth)} MiB (${growth < RSS_TARGET_MIB ? 'meets' : 'misses'} < ${RSS_TARGET_MIB})`,
      `${m.uploads} × ${m.fileMiB} MiB streaming together; idle ${fmt(m.idleMiB)}, peak ${fmt(m.peakMiB)} MiB; ${fmt((m.uploads * m.fileMiB) / m.seconds)} MiB/s`,
    ],
    [
      'thumbnails per second',
      fmt(th.images / th.seconds, 2),
      `worker-media, ${th.images} JPEGs of ${th.width}×${th.height} queued, MEDIA_CONCURRENCY ${th.concurrency}`,
    ],
  ];
}

export function mediaSection(r: MediaResults): string {
  const warning = busyWarning(r.machine);
  return [
    '## media: uploads and thumbnails',
    '',
    `\`pnpm --filter @platform/media bench\` (apps/media/bench), ${r.machine.date}, on ${describeMachine(r.machine)}.`,
    ...(warning ? ['', `> ${warning}`] : []),
    '',
    'The media service and worker-media run from their builds as deployed (`NODE_ENV=production`, the',
    '`fs` backend on the local disk), each in its own process; the client streams multipart bodies from',
    'a 64 KiB chunk. RSS is sampled from /proc every 20 ms; its growth is the peak while the four uploads',
    'stream minus the RSS before them, measured first on a fresh process after one 1 MiB upload.',
    'Text files are used so the content type costs nothing to check (`MEDIA_MAX_FILE_BYTES` raised to',
    '64 MiB). Thumbnails per second run from the first image upload to the last thumbnail made.',
    '',
    markdownTable(resultRows(r)),
  ].join('\n');
}
