import { request } from 'node:http';
import { rssMiB } from '@platform/benchkit';

const CHUNK = Buffer.alloc(64 * 1024, 'media bench line\n');
const BOUNDARY = 'media-bench-boundary';

/**
 * Streams one multipart upload of `bytes` of text to POST /media from a fixed 64 KiB chunk, so the
 * client holds no file in memory; resolves with the status once the answer arrived.
 */
export function streamUpload(baseUrl: string, token: string, bytes: number, name: string): Promise<number> {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
      'Content-Type: text/plain\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(new URL('/media', baseUrl), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'content-length': String(head.length + bytes + tail.length),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.write(head);
    let left = bytes;
    const pump = () => {
      while (left > 0) {
        const piece = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
        left -= piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

/** Samples a process's RSS every `everyMs` until stopped; `stop()` returns the largest seen (MiB). */
export function sampleRss(pid: number, everyMs = 20): { stop(): number } {
  let peak = rssMiB(pid) ?? 0;
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid) ?? 0)), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMiB(pid) ?? 0);
    },
  };
}
