import { busyWarning, fmt, percentile, stealWarning } from '@platform/benchkit';
import { FRAME_BYTES } from './publisher.js';
import { findRun, targets, userKernel, TARGET_RATIO, TARGET_SOCKETS, type FanoutResults } from './results.js';
import { sendFloorParagraph } from './send-floor.js';
import { BASELINE, COALESCE_MS, REALTIME, REALTIME_COALESCED } from './servers.js';

/** Cores used by neither the server nor the load generators above which a run is flagged. */
const OTHER_CORES_WARNING = 0.25;

/** A Markdown blockquote paragraph, or nothing. */
export function quote(text: string | undefined): string {
  return text ? `\n> ${text}\n` : '';
}

/** Machine and completeness warnings, as blockquotes. */
export function warnings(r: FanoutResults): string {
  const runs = r.servers.flatMap((s) => s.runs);
  const incomplete = r.servers.flatMap((s) =>
    s.runs
      .filter((run) => run.delivered !== run.expected)
      .map(
        (run) => `${s.label} at ${s.sockets} sockets, ${run.rate} msg/s: ${run.delivered} of ${run.expected}`,
      ),
  );
  const busiest = r.servers
    .flatMap((s) => s.runs.map((run) => ({ s, run })))
    .filter(({ run }) => (run.otherCores ?? 0) > OTHER_CORES_WARNING)
    .map(({ s, run }) => `${s.label}, ${s.sockets} sockets, ${run.rate} msg/s: ${fmt(run.otherCores, 2)}`);
  const dropped = r.servers.filter((s) => s.open < s.sockets || (s.runs.at(-1)?.closeLog.length ?? 0) > 0);
  return [
    quote(busyWarning(r.machine)),
    quote(stealWarning(runs.map((run) => run.steal))),
    quote(
      busiest.length
        ? `Other work shared the cores during some runs (_other cores_; RabbitMQ alone stays under ${OTHER_CORES_WARNING} here): ${busiest.join('; ')}. Their latencies are inflated by it; CPU per delivery is the number least affected.`
        : undefined,
    ),
    quote(
      incomplete.length
        ? `Not every frame reached every open socket in: ${incomplete.join('; ')}.`
        : undefined,
    ),
    quote(
      dropped.length
        ? `Sockets were lost: ${dropped.map((s) => `${s.label} kept ${s.runs.at(-1)?.openAtStart ?? s.open} of ${s.sockets} open (${describeCloses(s.runs.at(-1)?.closeLog ?? [])})`).join('; ')}. The runs count only the sockets open when they started; see "How to read it".`
        : undefined,
    ),
  ].join('');
}

function describeCloses(log: Array<{ code: number; afterOpenMs: number }>): string {
  if (log.length === 0) return 'refused or never opened';
  const codes = [...new Set(log.map((c) => c.code))].join(', ');
  const after = log.map((c) => c.afterOpenMs);
  const [low, high] = [fmt(Math.min(...after), 0), fmt(Math.max(...after), 0)];
  return `closed with ${codes}, ${low === high ? low : `${low}-${high}`} ms after they opened`;
}

/** CPU µs per delivery, user + kernel, for one run; "n/a" when not measured. */
function cost(r: FanoutResults, label: string, sockets: number, rate: number): string {
  const run = findRun(r, label, sockets, rate);
  if (!run?.deliveriesPerCpuSecond) return 'n/a';
  return `${fmt(1e6 / run.deliveriesPerCpuSecond, 1)} µs (user + kernel: ${userKernel(run)})`;
}

/** ws's CPU per delivery over realtime's kernel time alone: the ratio if realtime's own code cost nothing. */
function ceiling(r: FanoutResults, sockets: number, rate: number): string {
  const a = findRun(r, REALTIME, sockets, rate);
  const b = findRun(r, BASELINE, sockets, rate);
  if (!a?.deliveriesPerCpuSecond || !b?.deliveriesPerCpuSecond || !a.serverSystemShare) return 'n/a';
  return `${fmt(a.deliveriesPerCpuSecond / a.serverSystemShare / b.deliveriesPerCpuSecond, 1)}×`;
}

/** realtime's own mean fanout latency over a run (envelope creation to the frame handed to uWS), ms. */
function serverLatency(r: FanoutResults, sockets: number, rate: number): string {
  const c = findRun(r, REALTIME, sockets, rate)?.serverCounters ?? {};
  const sum = c.realtime_fanout_latency_seconds_sum;
  const count = c.realtime_fanout_latency_seconds_count;
  return sum === undefined || !count ? 'n/a' : `${fmt((sum / count) * 1000, 1)} ms`;
}

/** Where realtime's publish-to-receive time goes at the steady rate, from this run's numbers. */
function latencyParagraph(r: FanoutResults): string {
  const steady = r.settings.plans.find((p) => p.sockets === TARGET_SOCKETS)?.runs[0]?.rate ?? 50;
  const run = findRun(r, REALTIME, TARGET_SOCKETS, steady);
  if (!run) return '';
  const first = (q: number) => fmt(percentile(run.firstSocketMs, q), 2);
  const usPerDelivery = 1e6 / (run.deliveriesPerCpuSecond ?? Number.NaN);
  return `- At ${steady} msg/s and ${TARGET_SOCKETS} sockets, a message reached the first socket to get
  it after ${first(0.5)} ms (p50; p99 ${first(0.99)} ms): the bus, RabbitMQ, realtime's consume and its
  first write. It reached all of them after ${fmt(run.latency.percentile(0.5), 2)} ms (p50; p99
  ${fmt(run.latency.percentile(0.99), 2)} ms). The spread between the two is the writes to
  ${TARGET_SOCKETS} sockets one after another (at ${fmt(usPerDelivery, 1)} µs of server CPU per
  delivery, the last socket is written about ${fmt((usPerDelivery * TARGET_SOCKETS) / 1000, 1)} ms after
  the first) and the load clients reading their share of each broadcast one frame at a time, on the
  same cores. realtime's own \`realtime_fanout_latency_seconds\` (the envelope's \`occurredAt\` to
  the return of its uWS publish, on a whole-ms clock) averaged ${serverLatency(r, TARGET_SOCKETS, steady)}.
  ${fmt(run.latency.shareUnder(20) * 100, 1)}% of the frames arrived within 20 ms. Every
  \`PRESENCE_TTL_SECONDS\` / 3 (20 s by default) realtime also refreshes the presence of all its users
  on the same event loop (one Redis script per 100 users, spread over half that period): frames
  arriving while a script is prepared or answered wait for that JavaScript (see the idle-sockets section for its event-loop lag).
`;
}

/** realtime's V8 heap in use after the runs, above idle, per socket. */
function heapSentence(r: FanoutResults): string {
  const parts = r.servers
    .filter(
      (s) => s.label === REALTIME && s.heapIdleMiB !== undefined && s.heapUsedAfterRunsMiB !== undefined,
    )
    .map((s) => {
      const kib = (((s.heapUsedAfterRunsMiB ?? 0) - (s.heapIdleMiB ?? 0)) * 1024) / s.sockets;
      return `${fmt(kib, 0)} KiB per socket with ${s.sockets} open`;
    });
  if (!parts.length) return '';
  return ` After the runs realtime's heap in use was ${parts.join(' and ')} above idle. Heap in use counts
  garbage V8 has not collected yet, and the connect allocates a lot (presence announcements, snapshots):
  these are upper bounds, not what a socket keeps. A heap snapshot (which collects first) of realtime
  with 1000 sockets open, taken by hand on 2026-11-22, held 43 MiB in all, 1002 \`uWS.WebSocket\` objects
  among it.`;
}

/** Why the ratio is what it is, from the numbers of this run. */
function costParagraph(r: FanoutResults): string {
  const plan = r.settings.plans.find((p) => p.sockets === TARGET_SOCKETS);
  const [steady, high] = [plan?.runs[0]?.rate ?? 50, plan?.runs[1]?.rate ?? 200];
  const t = targets(r);
  const missedAt = t.at1000.filter((x) => x.ratio < TARGET_RATIO).map((x) => `${x.rate} msg/s`);
  return `- Server CPU per delivery at ${TARGET_SOCKETS} sockets: at ${steady} msg/s realtime
  ${cost(r, REALTIME, TARGET_SOCKETS, steady)}, ws ${cost(r, BASELINE, TARGET_SOCKETS, steady)}; at
  ${high} msg/s realtime ${cost(r, REALTIME, TARGET_SOCKETS, high)}, ws ${cost(r, BASELINE, TARGET_SOCKETS, high)}.
  ${missedAt.length ? `The ${TARGET_RATIO}× target is missed at ${missedAt.join(' and ')}. ` : ''}If
  realtime's user-space work cost nothing, its kernel time alone would still cap the ratio at
  ${ceiling(r, TARGET_SOCKETS, steady)} at ${steady} msg/s and ${ceiling(r, TARGET_SOCKETS, high)} at ${high} msg/s. At a steady
  rate the messages arrive a few ms apart, so each one is written to each socket by a send system call
  of its own, whichever server writes it, and on loopback that call also runs the receiving side's TCP
  path: that is the floor of both servers, and most of realtime's CPU is kernel time (the
  _user + kernel_ column; a _TCP segments/delivery_ of 2 is one data segment and its ACK per frame per
  socket, below 1 frames share segments). uWS's topic publish saves the per-frame JavaScript that \`ws\` runs
  (framing, the stream layer, a write request per frame), which is what separates them at the steady
  rate. When several messages arrive in one event-loop iteration (at the higher rate, several per read
  of the AMQP socket with prefetch 20), uWS writes them to each socket in one call, while \`ws\` writes
  every frame separately: the ratio grows with the rate, and with how late realtime's loop gets to the
  messages (on a crowded box it batches more: fewer segments per delivery, less CPU per delivery). Reaching the
  targets at a steady ${steady} msg/s needs fewer writes per socket, not a faster loop: that is what the
  write-coalescing window does (below).`;
}

/** One run of realtime with and without the window: CPU and segments per delivery, latency. */
function windowFigures(r: FanoutResults, rate: number): string {
  const off = findRun(r, REALTIME, TARGET_SOCKETS, rate);
  const on = findRun(r, REALTIME_COALESCED, TARGET_SOCKETS, rate);
  if (!off?.deliveriesPerCpuSecond || !on?.deliveriesPerCpuSecond) return `at ${rate} msg/s: not measured`;
  const us = (run: typeof off) => fmt(1e6 / (run.deliveriesPerCpuSecond ?? Number.NaN), 1);
  const q = (run: typeof off, p: number) => fmt(run.latency.percentile(p), 1);
  return `at ${rate} msg/s server CPU per delivery went from ${us(off)} to ${us(on)} µs, TCP segments per
  delivery from ${fmt(off.segmentsPerDelivery, 2)} to ${fmt(on.segmentsPerDelivery, 2)}, and publish-to-receive
  latency from p50 ${q(off, 0.5)} / p99 ${q(off, 0.99)} ms to p50 ${q(on, 0.5)} / p99 ${q(on, 0.99)} ms`;
}

/** What the write-coalescing window bought and what it cost, from this run. */
function windowParagraph(r: FanoutResults): string {
  if (!r.servers.some((s) => s.label === REALTIME_COALESCED)) return '';
  const plan = r.settings.plans.find((p) => p.sockets === TARGET_SOCKETS);
  const rates = plan?.runs.map((x) => x.rate) ?? [];
  return `
- _${REALTIME_COALESCED}_ is the same build with \`WS_COALESCE_MS=${COALESCE_MS}\` (the default is 0,
  off): the first frame to go out opens a ${COALESCE_MS} ms window, and when it closes everything sent
  meanwhile is written, each socket's frames in one corked write (uWS adds the topic frames of the
  window to the same write). At ${TARGET_SOCKETS} sockets, ${rates.map((rate) => windowFigures(r, rate)).join('; ')}.
  The latency cost is the window itself: a frame waits until the window closes, from 0 to
  ${COALESCE_MS} ms (half of it on average), on top of everything else; the saving grows with the
  number of frames a socket gets per window (about ${COALESCE_MS} ms × the rate), which is why it pays
  at high fanout rates and costs more than it saves for a chat with a frame every few seconds.`;
}

/** Re-wraps paragraphs and `- ` bullets at `width` (the interpolated numbers leave ragged lines). */
export function reflow(markdown: string, width = 104): string {
  const wrap = (words: string[], first: string, rest: string): string => {
    const lines: string[] = [];
    let line = first;
    let empty = true;
    for (const word of words) {
      if (!empty && line.length + 1 + word.length > width) {
        lines.push(line);
        line = rest + word;
      } else line += (empty ? '' : ' ') + word;
      empty = false;
    }
    return [...lines, line].join('\n');
  };
  return markdown
    .split('\n\n')
    .map((block) => {
      const items = block.split(/\n(?=- )/);
      return items
        .map((item) => {
          const bullet = item.startsWith('- ');
          const words = (bullet ? item.slice(2) : item).split(/\s+/).filter(Boolean);
          return bullet ? wrap(words, '- ', '  ') : wrap(words, '', '');
        })
        .join('\n');
    })
    .join('\n\n');
}

export function fanoutProse(r: FanoutResults, prefetch: number): string {
  return reflow(proseText(r, prefetch));
}

function proseText(r: FanoutResults, prefetch: number): string {
  const s = r.settings;
  const runs = s.plans
    .map((p) => `${p.sockets} sockets: ${p.runs.map((x) => `${x.rate} msg/s for ${x.seconds} s`).join(', ')}`)
    .join('; ');
  return `Setup. Each server runs in a process of its own, one at a time (both bind a queue to the same
exchange, so they never run together), with ${runs}; the servers take turns going first. realtime is
the built \`apps/realtime/dist/index.js\`, configured as deployed (\`NODE_ENV=production\`, info logs
to a file, \`DATABASE_POOL_MAX=10\`, every \`WS_*\` setting at its default) on a fresh database, Redis
prefix and AMQP namespace, all removed afterwards. Every socket is a different user, seeded with a
session and an access token (\`seedUser\`), sent as \`Authorization: Bearer\`: the upgrade verifies it
and checks the denylist (the in-memory mirror), and each open subscribes the socket to the everyone
topic, updates presence (announced to every socket while at most \`PRESENCE_BROADCAST_LIMIT\`, 1000,
users are online, then to watchers only), replays notifications and sends a chat snapshot. The baseline
(\`apps/realtime/bench/ws-baseline-server.ts\`, through tsx) is \`node:http\` plus a \`ws\`
WebSocketServer (no compression) that accepts any upgrade and does nothing on open; it binds an
exclusive queue of its own to the \`chat\` fanout exchange with amqplib, parses each body with
\`JSON.parse\` (realtime also validates the envelope and payload with zod) and broadcasts
\`JSON.stringify(payload.frame)\` with \`for (const c of wss.clients) c.send(text)\`. The second
baseline (\`apps/realtime/bench/socketio-baseline-server.ts\`) is Socket.IO 4 as \`new Server(httpServer)\`
leaves it (WebSocket and polling transports, heartbeats, no compression), consuming the same way and
broadcasting with \`io.emit('frame', frame)\` (one encoding for all sockets); its load clients speak
Engine.IO's WebSocket framing themselves (join the namespace, answer pings), as socket.io-client
would, without its per-socket overhead in the load processes. All three ack each
message after writing it, with prefetch ${prefetch} (the default of \`@platform/bus\` subscriptions,
which realtime's chat subscription uses). The sockets are \`ws\` clients (no compression) in
${s.clientProcesses} load-client processes (\`bench/load-client.ts\`), opened 25 at a time per process.
The bench process publishes \`chat.frame\` envelopes for audience \`all\` on the \`chat\` exchange
through \`@platform/bus\` (confirmed, open loop: on schedule whatever the servers do), each frame a
\`chat.message\` with a 100-character text and \`sentAt\` (${FRAME_BYTES} bytes as sent). Each server is
warmed up (${s.warmupSeconds} s, not counted); each run then waits until every open socket has every
frame (or nothing arrived for 2 s).

How to read it.

- _deliveries/s_ is frames received by all sockets per second, from the first publish to the last
  frame; _delivered / expected_ compares them with messages × sockets open at the start of the run.
  _p50/p99/max_ is publish-to-receive: \`sentAt\` (\`performance.timeOrigin + performance.now()\` just
  before the publish) to the client's \`message\` event, on the same clock. It spans the bus, RabbitMQ,
  the server's consume and write, loopback TCP and the load client's own queue: a client process
  handles its sockets' frames one after another, so the last socket of a broadcast waits for the
  others. At the higher rate the offered load is beyond what the box delivers with \`ws\`, and its
  latency there is time spent queueing, not a property of the server alone.
- _server cores_ is the server's CPU seconds per wall second over the run (from \`/proc/<pid>/stat\`,
  first publish to last frame), and _deliveries per server CPU-s_ the frames delivered per second of
  it: the comparison the target is about, and the number least affected by the rest of the machine.
  _load gen cores_ is the load clients plus the bench process (the publisher); _other cores_ is
  everything else (RabbitMQ, and any unrelated work); _steal_ is CPU the hypervisor gave to other guests.
${latencyParagraph(r)}${costParagraph(r)}${sendFloorParagraph(r)}${windowParagraph(r)}
- The box has ${r.machine.cores} cores shared by the server, the load clients, RabbitMQ, PostgreSQL and
  Redis. The load clients use more CPU than either server (_load gen cores_), so the box saturates
  soon above the steady rate; the higher-rate rows show where each server's deliveries stopped
  following the offered rate, and latencies measured here are those of a crowded box.
- _server RSS_ is the largest resident size sampled during the run; the last table has the size with
  no sockets and with all of them open (_KiB per socket_ is the difference per socket; it includes
  whatever the connect left on the heap), and realtime's V8 heap from its metrics.${heapSentence(r)}
- Sockets closed with 1006 within a few ms of their open, with no error on the client, were the uWS
  upgrade bug described in the realtime README ("uWS notes"); realtime now upgrades synchronously and
  should lose none. The bench opens sockets 50 at a time from two processes. Frames the server sent on its own while the sockets connected (presence announcements
  to every socket for every new user, snapshots) are in _own frames during connect_.
`;
}
