import WebSocket from 'ws';

/**
 * Runs a full garbage collection in a child started with `--inspect=127.0.0.1:<port>`, through the
 * DevTools protocol (`HeapProfiler.collectGarbage`): what a heap snapshot does first, without writing
 * one. The service is run as deployed otherwise; nothing in it calls `gc()`.
 */
export async function collectGarbage(inspectPort: number): Promise<void> {
  const targets = (await fetch(`http://127.0.0.1:${inspectPort}/json/list`).then((r) => r.json())) as Array<{
    webSocketDebuggerUrl?: string;
  }>;
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${inspectPort}`);
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data: WebSocket.RawData) => {
        const reply = JSON.parse(String(data)) as { id?: number; error?: { message: string } };
        if (reply.id !== 1) return;
        if (reply.error) reject(new Error(reply.error.message));
        else resolve();
      });
      ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
    });
  } finally {
    ws.close();
  }
}
