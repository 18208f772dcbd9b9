import net from 'node:net';

/** Where a proxy forwards to. */
export interface ProxyTarget {
  host: string;
  port: number;
}

export interface TcpProxyOptions {
  /** Interface the proxy listens on; loopback unless a test needs another one. */
  listenHost?: string;
}

/** One client connection and the upstream connection opened for it. */
interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** FINs and closes that happened during a pause, passed on to the other side once it is lifted. */
  held: (() => void)[];
}

function listenEphemeral(server: net.Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (typeof address === 'object' && address !== null) resolve(address.port);
      else reject(new Error(`the proxy listener on ${host} reported no port`));
    });
  });
}

/**
 * A TCP proxy in front of one server, for fault-injection tests without Docker: point only the
 * process under test at `proxy.url(...)`, then cut, refuse or stall its connections while every
 * other test keeps talking to the shared server directly.
 */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private refusing = false;
  private paused = false;

  private constructor(
    private readonly server: net.Server,
    private readonly target: ProxyTarget,
    /** The interface the proxy listens on. */
    readonly host: string,
    /** The ephemeral port the proxy listens on. */
    readonly port: number,
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  /** Listens on an ephemeral port of `listenHost` (default 127.0.0.1) and forwards to `target`. */
  static async start(target: ProxyTarget, options: TcpProxyOptions = {}): Promise<TcpProxy> {
    const host = options.listenHost ?? '127.0.0.1';
    // Accepted sockets read nothing until accept() decides: a refused or paused connection must
    // not swallow bytes. Half-open stays allowed so each side's FIN travels through on its own.
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
    const port = await listenEphemeral(server, host);
    return new TcpProxy(server, target, host, port);
  }

  /** `original` with its host and port replaced by the proxy's; credentials, path and query are kept. */
  url(original: string): string {
    const url = new URL(original);
    url.hostname = this.host.includes(':') ? `[${this.host}]` : this.host;
    url.port = String(this.port);
    return url.toString();
  }

  /** Client connections currently open through the proxy. */
  get connections(): number {
    return [...this.pairs].filter((pair) => !pair.client.destroyed).length;
  }

  /** Drops every open connection both ways, as a restarting broker would; new ones are still accepted. */
  cut(): void {
    for (const pair of this.pairs) this.drop(pair);
  }

  /** While on, a new connection is closed right after it is accepted (the server is down); open ones stay. */
  refuse(on: boolean): void {
    this.refusing = on;
  }

  /**
   * While on, nothing crosses either way, not even a close: a silent network partition that only
   * heartbeats and timeouts can detect. Once off, held bytes flow on, and a connection whose other
   * side ended meanwhile is closed.
   */
  pause(on: boolean): void {
    this.paused = on;
    for (const pair of this.pairs) {
      for (const socket of [pair.client, pair.upstream]) {
        if (on) socket.pause();
        else socket.resume();
      }
      if (!on) for (const pass of pair.held.splice(0)) pass();
    }
  }

  /** Stops listening and drops every connection; resolves once the listener is closed. */
  close(): Promise<void> {
    this.refusing = true;
    this.cut();
    return new Promise((resolve) => {
      // An error here only means "not listening any more", which is what close() wants anyway.
      this.server.close(() => resolve());
    });
  }

  private accept(client: net.Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: this.target.host, port: this.target.port, allowHalfOpen: true });
    const pair: Pair = { client, upstream, held: [] };
    this.pairs.add(pair);
    for (const socket of [client, upstream]) {
      // Errors (a reset, a refused upstream) end the pair; they must not crash the test process.
      socket.on('error', () => this.pass(pair, () => this.drop(pair)));
      socket.on('close', () => this.pass(pair, () => this.drop(pair)));
    }
    this.forward(pair, client, upstream);
    this.forward(pair, upstream, client);
    if (this.paused) upstream.pause();
    else client.resume();
  }

  /** Copies `from` to `to`, honouring backpressure without ever resuming a paused proxy. */
  private forward(pair: Pair, from: net.Socket, to: net.Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (to.write(chunk)) return;
      from.pause();
      to.once('drain', () => {
        if (!this.paused) from.resume();
      });
    });
    // A FIN travels through on its own: the other direction keeps flowing until it ends too.
    from.on('end', () => this.pass(pair, () => to.end()));
  }

  /**
   * Passes a FIN or close of one side on to the other at once, or holds it during a pause: a socket
   * reports its peer's end even while paused, and a partition must hide that too.
   */
  private pass(pair: Pair, action: () => void): void {
    if (this.paused) pair.held.push(action);
    else action();
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream.destroy();
  }
}
