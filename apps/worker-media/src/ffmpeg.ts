import { execFile } from 'node:child_process';

/** What ffprobe says about a file: its length and the first video stream's size. */
export interface Probe {
  durationMs: number | null;
  width: number | null;
  height: number | null;
  hasVideo: boolean;
}

/** ffmpeg or ffprobe could not read the file: it is not what it claimed, or it is broken. */
export class UnreadableMediaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableMediaError';
  }
}

export interface FfmpegSettings {
  ffmpeg: string;
  ffprobe: string;
  timeoutMs: number;
}

function run(program: string, args: string[], timeoutMs: number, encoding: 'utf8' | 'buffer') {
  return new Promise<string | Buffer>((resolve, reject) => {
    execFile(
      program,
      args,
      { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024, encoding, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          return reject(new Error(`${program} is not installed`));
        const detail = String(stderr).trim().split('\n').pop() ?? error.message;
        reject(new UnreadableMediaError(`${program.split('/').pop() ?? program}: ${detail}`));
      },
    );
  });
}

/** Duration and dimensions of an audio or video file on disk. */
export async function probe(file: string, settings: FfmpegSettings): Promise<Probe> {
  const out = await run(
    settings.ffprobe,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
    settings.timeoutMs,
    'utf8',
  );
  const parsed = JSON.parse(String(out)) as {
    format?: { duration?: string };
    streams?: { codec_type?: string; width?: number; height?: number; duration?: string }[];
  };
  const video = parsed.streams?.find((s) => s.codec_type === 'video');
  const seconds = Number(parsed.format?.duration ?? video?.duration ?? NaN);
  return {
    durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : null,
    width: video?.width ?? null,
    height: video?.height ?? null,
    hasVideo: video !== undefined,
  };
}

/** One frame of a video as PNG bytes: a second in, or the first frame of a shorter clip. */
export async function posterFrame(
  file: string,
  durationMs: number | null,
  settings: FfmpegSettings,
): Promise<Buffer> {
  const at = durationMs !== null && durationMs > 2000 ? '1' : '0';
  const out = await run(
    settings.ffmpeg,
    ['-v', 'error', '-ss', at, '-i', file, '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'png', 'pipe:1'],
    settings.timeoutMs,
    'buffer',
  );
  if (!Buffer.isBuffer(out) || out.length === 0) throw new UnreadableMediaError('ffmpeg: no frame');
  return out;
}
