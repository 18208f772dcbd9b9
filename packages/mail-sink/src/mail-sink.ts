import { EventEmitter } from 'node:events';
import { type Socket } from 'node:net';
// Types only: the libraries are loaded by MailSink.start(), see `loadLibraries`.
import type { HeaderLines, ParsedMail, simpleParser } from 'mailparser';
import type { SMTPServer, SMTPServerAddress, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';

/** A mail as the sink received it: the SMTP envelope plus the parsed message. */
export interface ReceivedMail {
  /** 1, 2, 3... in order of arrival; never reused, not even after `clear()`. */
  id: number;
  /** Envelope sender (MAIL FROM); the From header is in `headers.from`. */
  from: string;
  /** Envelope recipients (RCPT TO) the sink accepted. */
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  /** The Message-ID header with its angle brackets, e.g. `<abc@acme.test>`. */
  messageId: string | null;
  /** Header values by lower-case name, unfolded but not decoded; the first wins when a name repeats. */
  headers: Record<string, string>;
  receivedAt: Date;
}

export interface MailSinkOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Oldest mails are dropped beyond this many; default 500. */
  maxMessages?: number;
  /** Recipients answered with `550` at RCPT TO, as a real server does for an unknown user. */
  rejectRecipients?: (address: string) => boolean;
}

export interface MailSinkEvents {
  mail: [mail: ReceivedMail];
}

const DEFAULT_MAX_MESSAGES = 500;
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
const DEFAULT_WAIT_MS = 5000;

/**
 * A real SMTP server for tests and local runs: accepts anything (auth optional, no TLS), parses each
 * mail and keeps the latest ones in memory. It can also play a broken relay: `stop()` refuses
 * connections, `stall(true)` accepts them but never greets.
 *
 * The sink owns the listening socket of smtp-server and destroys client sockets itself, so stopping
 * is immediate: smtp-server's own close() waits up to 30 s for sessions to end.
 */
export class MailSink extends EventEmitter<MailSinkEvents> {
  private readonly received: ReceivedMail[] = [];
  private readonly sockets = new Set<Socket>();
  /** Greetings withheld while stalled, sent when the stall ends. */
  private readonly withheld = new Set<() => void>();
  private readonly smtp: SMTPServer;
  private readonly parse: typeof simpleParser;
  private readonly maxMessages: number;
  private nextId = 1;
  private boundPort = 0;
  private listening = false;
  private closed = false;
  private stalled = false;

  private constructor(
    readonly host: string,
    private readonly options: MailSinkOptions,
    { SMTPServer, parse }: Libraries,
  ) {
    super();
    this.maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
    this.parse = parse;
    this.smtp = new SMTPServer({
      logger: false,
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      size: MAX_MESSAGE_BYTES,
      rejectOversized: true,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
      // Not calling back withholds the 220 greeting: the client sees an open, silent connection.
      onConnect: (_session, callback) => {
        if (this.stalled) this.withheld.add(() => callback());
        else callback();
      },
      onRcptTo: (address, _session, callback) => callback(this.checkRecipient(address)),
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    // Clients that time out or vanish make smtp-server emit ECONNRESET and the like; for a sink
    // these are expected, and an 'error' event without a listener would crash the test run.
    this.smtp.on('error', () => undefined);
    this.smtp.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts a sink listening on `options.port` (ephemeral by default) of `options.host` (127.0.0.1). */
  static async start(options: MailSinkOptions = {}): Promise<MailSink> {
    const sink = new MailSink(options.host ?? '127.0.0.1', options, await loadLibraries());
    await sink.listen(options.port ?? 0);
    return sink;
  }

  /** The port the sink listens on; kept across `stop()`/`restart()`. */
  get port(): number {
    return this.boundPort;
  }

  /** Copies of the mails held, oldest first. */
  messages(): ReceivedMail[] {
    return this.received.map(copyMail);
  }

  /** The first held or future mail that matches; rejects after `timeoutMs` with what did arrive. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<ReceivedMail> {
    const held = this.received.find(predicate);
    if (held) return Promise.resolve(copyMail(held));
    return new Promise((resolve, reject) => {
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        this.off('mail', onMail);
        outcome();
      };
      const onMail = (mail: ReceivedMail) => {
        try {
          if (predicate(mail)) settle(() => resolve(copyMail(mail)));
        } catch (error) {
          settle(() => reject(error));
        }
      };
      const timer = setTimeout(
        () => settle(() => reject(new Error(this.describeMiss(timeoutMs)))),
        timeoutMs,
      );
      this.on('mail', onMail);
    });
  }

  /** How many held mails match `predicate` (all of them without one). */
  count(predicate?: (mail: ReceivedMail) => boolean): number {
    return predicate ? this.received.filter(predicate).length : this.received.length;
  }

  /** Forgets every held mail. */
  clear(): void {
    this.received.length = 0;
  }

  /** Stops listening and drops open connections, as a relay that went down; `restart()` undoes it. */
  async stop(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    this.withheld.clear();
    const server = this.smtp.server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /**
   * Listens again on the same port. Between `stop()` and here the port is free, so in theory another
   * process could take it; with ephemeral ports that window is too short to matter in practice.
   */
  async restart(): Promise<void> {
    if (this.closed) throw new Error('MailSink is closed');
    if (this.listening) return;
    await this.listen(this.boundPort);
  }

  /**
   * While on, connections are accepted but never greeted, as a hung relay. Turning it off greets the
   * connections still waiting, so a client with a patient timeout recovers like it would in real life.
   */
  stall(on: boolean): void {
    this.stalled = on;
    if (on) return;
    const waiting = [...this.withheld];
    this.withheld.clear();
    for (const greet of waiting) greet();
  }

  /** Stops for good. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
  }

  private listen(port: number): Promise<void> {
    const server = this.smtp.server;
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        server.off('listening', onListening);
        reject(error);
      };
      const onListening = () => {
        server.off('error', onError);
        const address = server.address();
        this.boundPort = typeof address === 'object' && address !== null ? address.port : port;
        this.listening = true;
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, this.host);
    });
  }

  private checkRecipient(address: SMTPServerAddress): Error | undefined {
    if (!this.options.rejectRecipients?.(address.address)) return undefined;
    return smtpReply(550, `5.1.1 <${address.address}>: Recipient address rejected by MailSink`);
  }

  private receive(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): void {
    this.parse(stream).then(
      (parsed) => {
        // rejectOversized has smtp-server answer 552 itself; the sink only has to not keep the mail.
        if (stream.sizeExceeded)
          return callback(smtpReply(552, 'message exceeds fixed maximum message size'));
        this.store(toReceivedMail(this.nextId++, parsed, session));
        callback();
      },
      (error: unknown) => {
        stream.resume();
        callback(smtpReply(451, `MailSink could not parse the message: ${String(error)}`));
      },
    );
  }

  private store(mail: ReceivedMail): void {
    this.received.push(mail);
    if (this.received.length > this.maxMessages) this.received.shift();
    this.emit('mail', copyMail(mail));
  }

  private describeMiss(timeoutMs: number): string {
    const held = this.received;
    const lines = held
      .slice(-20)
      .map((m) => `  #${m.id} from=${m.from} to=${m.to.join(',')} subject=${JSON.stringify(m.subject)}`);
    const more = held.length > 20 ? [`  (${held.length - 20} earlier not shown)`] : [];
    const summary = `No mail matched within ${timeoutMs} ms; ${held.length} held${held.length ? ':' : '.'}`;
    return [summary, ...more, ...lines].join('\n');
  }
}

interface Libraries {
  SMTPServer: typeof SMTPServer;
  parse: typeof simpleParser;
}

/**
 * Every integration test imports this package, most of them never start a sink: loading smtp-server
 * and mailparser on first use keeps them out of those tests' start-up.
 */
async function loadLibraries(): Promise<Libraries> {
  const [{ SMTPServer }, { simpleParser }] = await Promise.all([import('smtp-server'), import('mailparser')]);
  return { SMTPServer, parse: simpleParser };
}

/** An error smtp-server turns into an SMTP reply with this code. */
function smtpReply(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

function toReceivedMail(id: number, parsed: ParsedMail, session: SMTPServerSession): ReceivedMail {
  const { mailFrom, rcptTo } = session.envelope;
  return {
    id,
    from: mailFrom ? mailFrom.address : '',
    to: rcptTo.map((recipient) => recipient.address),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    messageId: parsed.messageId ?? null,
    headers: flattenHeaders(parsed.headerLines),
    receivedAt: new Date(),
  };
}

function flattenHeaders(lines: HeaderLines): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, line } of lines) {
    if (Object.hasOwn(headers, key)) continue;
    headers[key] = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
  }
  return headers;
}

function copyMail(mail: ReceivedMail): ReceivedMail {
  return { ...mail, to: [...mail.to], headers: { ...mail.headers }, receivedAt: new Date(mail.receivedAt) };
}
