/**
 * The fanout doc's paragraph on where each server's kernel time goes (perf), and the floor its own
 * writes set under the ratio targets.
 */
import { fmt } from '@platform/benchkit';
import type { FanoutRun } from './measure-run.js';
import {
  findRun,
  sendSplit,
  withoutLoopbackReceive,
  TARGET_P99_MS,
  TARGET_RATIO_SOCKET_IO,
  TARGET_SOCKETS,
  type FanoutResults,
} from './results.js';
import { BASELINE, REALTIME, SOCKET_IO } from './servers.js';

const times = (x: number | undefined) => (x === undefined ? 'n/a' : `${fmt(x, 1)}×`);

export function sendFloorParagraph(r: FanoutResults): string {
  const steady = r.settings.plans.find((p) => p.sockets === TARGET_SOCKETS)?.runs[0]?.rate ?? 50;
  const [rt, ws, sio] = [REALTIME, BASELINE, SOCKET_IO].map((label) =>
    findRun(r, label, TARGET_SOCKETS, steady),
  );
  const split = rt?.kernelSplit;
  if (!rt?.deliveriesPerCpuSecond || !split?.samples || !split.send) {
    return `
- The _by perf_ column needs \`perf\` and the right to sample kernel stacks (root, or
  \`kernel.perf_event_paranoid\` <= 1); it was not available for this run.`;
  }
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : a / b;
  // If realtime spent nothing beyond its writes: on loopback its sends and the receive path they run
  // (as every server's do), or, as on two machines, its sends alone against the other's cost without
  // its receive path.
  const floor = (other: FanoutRun | undefined, receiveExcluded: boolean) => {
    const rtDeliveries = rt.deliveriesPerCpuSecond;
    if (!rtDeliveries) return undefined;
    const writes = receiveExcluded ? split.send : split.send + split.receive;
    return ratio(
      rtDeliveries / writes,
      receiveExcluded ? withoutLoopbackReceive(other) : other?.deliveriesPerCpuSecond,
    );
  };
  const gapMs = 1000 / steady;
  const best = Math.max(floor(sio, false) ?? 0, floor(sio, true) ?? 0);
  const verdict =
    gapMs >= TARGET_P99_MS && best < TARGET_RATIO_SOCKET_IO
      ? `So at ${steady} msg/s ${TARGET_RATIO_SOCKET_IO}× Socket.IO with a p99 under ${TARGET_P99_MS} ms is out
  of reach on this machine for a server whose writes cost what realtime's do: a frame can share a write
  only with the next one, ${fmt(gapMs, 0)} ms later, and if more than 1% of frames waited that long the p99
  would be over ${TARGET_P99_MS} ms, so nearly every frame costs a write of its own. The ratio needs
  fewer writes, which the window buys with latency (next point), or a higher rate, where frames share
  writes without waiting.`
      : `The floor leaves room for the ${TARGET_RATIO_SOCKET_IO}× target at ${steady} msg/s: what realtime
  spends besides its sends is where the rest of the way is.`;
  return `
- Where each server's CPU goes, by \`perf\` (each server's process sampled at 499 Hz through every run,
  with call stacks; the _by perf_ column splits the µs per delivery): _own sends_ is the sender's side
  of its write system calls (TCP, IP, the loopback device); _loopback receive_ is the receiving
  socket's TCP path, which loopback runs inside the same call and a network would run on the receiving
  machine; _rest_ is everything else, user space included. At ${TARGET_SOCKETS} sockets and ${steady}
  msg/s: realtime ${sendSplit(rt)} µs, Socket.IO ${sio ? sendSplit(sio) : 'n/a'} µs, ws ${ws ? sendSplit(ws) : 'n/a'}
  µs. Without the loopback receive path realtime delivers
  ${times(ratio(withoutLoopbackReceive(rt), withoutLoopbackReceive(sio)))} Socket.IO's and
  ${times(ratio(withoutLoopbackReceive(rt), withoutLoopbackReceive(ws)))} ws's frames per server CPU-second.
  The writes are the floor of any server that writes each frame to each socket: if realtime spent
  nothing beyond them, it would deliver ${times(floor(sio, false))} Socket.IO's frames per CPU-second
  and ${times(floor(ws, false))} ws's on loopback, ${times(floor(sio, true))} and ${times(floor(ws, true))}
  with every receive path left out, as on two machines. ${verdict}`;
}
