import path from 'node:path';
import type { Writable } from 'node:stream';
import { redactUrl } from '@platform/config';
import type { BackingResolution, BackingUrls } from './backing-services.js';
import { describeExit, spawnService, stopServices, type ServiceProcess } from './child-processes.js';
import type { StackConfig } from './config.js';
import { loadEdgeTls, saveCertificate, type EdgeTls } from './edge-tls.js';
import { closeEdge, createEdge, listenEdge, type EdgeServer } from './edge.js';
import { describeError } from './errors.js';
import { serviceReadyCheck } from './grpc-readiness.js';
import {
  mailSinkOptions,
  smtpEnvFor,
  wantsMailSink,
  type LocalMailSink,
  type StartMailSink,
} from './local-mail.js';
import { portInUse, waitUntilReady, type ReadyCheck } from './readiness.js';
import {
  edgeTargetsFor,
  entryPointOf,
  findPortClashes,
  metricsUrl,
  nameColumnWidth,
  partitionByBuilt,
  serviceEnv,
  readyTargetsOf,
  serviceUrl,
  sharedServiceEnv,
  mediaStorageDir,
  type ServiceSpec,
} from './service-table.js';
import {
  chooseMediaUrlSecret,
  chooseSigningKeys,
  serviceIdentityKeys,
  tokenIssuer,
  type SigningKeys,
} from './signing-keys.js';
import { prefixFor, type StackLog } from './stack-log.js';
import { busyMessage, ownPorts, ownersByLabel, portClaims, type PortClaim } from './stack-ports.js';
import { webAppFiles, type WebAppFiles } from './web-app-files.js';

/** Everything the launcher touches, injected so tests can run it against fake services. */
export interface LauncherDeps {
  config: StackConfig;
  /** Copied into every child's environment before the stack's own settings. */
  baseEnv: NodeJS.ProcessEnv;
  appsDir: string;
  services: readonly ServiceSpec[];
  log: StackLog;
  stdout: Writable;
  stderr: Writable;
  fileExists(file: string): boolean;
  resolveBacking(): Promise<BackingResolution>;
  /** Creates the database if needed and migrates it; returns the names of newly applied migrations. */
  prepareDatabase(url: string): Promise<string[]>;
  /** Starts the local SMTP sink and its inbox; called only when no SMTP_HOST is configured. */
  startMailSink: StartMailSink;
  readyCheck?: ReadyCheck;
}

/** Thrown for start-up failures whose message is already the whole story (no stack trace needed). */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Extra time past the services' own drain before the launcher stops waiting and kills them. */
const KILL_MARGIN_MS = 5_000;

/**
 * One local run of the platform: backing servers, migrations, one child per service, the edge.
 * `run()` resolves with the process exit code once everything it started has stopped again.
 */
export class Launcher {
  private readonly abort = new AbortController();
  private children: ServiceProcess[] = [];
  private edge: EdgeServer | undefined;
  private tls: EdgeTls | undefined;
  private mail: LocalMailSink | undefined;
  private stopBacking: () => Promise<void> = async () => undefined;
  private usesContainers = false;
  private startup: Promise<void> = Promise.resolve();
  private stopping: Promise<number> | undefined;
  private exitCode = 0;

  constructor(private readonly deps: LauncherDeps) {}

  /** The edge's base URL (after start-up). */
  get edgeUrl(): string {
    const address = this.edge?.address();
    const port = typeof address === 'object' && address !== null ? address.port : this.deps.config.EDGE_PORT;
    return `${this.tls === undefined ? 'http' : 'https'}://${this.deps.config.EDGE_HOST}:${port}`;
  }

  /** Starts everything, then waits until a shutdown completes; resolves with the exit code. */
  async run(): Promise<number> {
    this.startup = this.start();
    try {
      await this.startup;
    } catch (error) {
      if (!this.abort.signal.aborted)
        this.deps.log.error(error instanceof StartupError ? error.message : describeError(error));
      return this.shutdown(1);
    }
    await new Promise<void>((resolve) => {
      if (this.abort.signal.aborted) resolve();
      else this.abort.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return this.shutdown(0);
  }

  /** Stops everything once (later calls share the first one's outcome and exit code). */
  shutdown(code: number): Promise<number> {
    if (this.stopping === undefined) {
      this.exitCode = code;
      // Set before aborting: abort listeners call back in here and must find the shutdown under way.
      this.stopping = this.cleanUp().then(() => this.exitCode);
      this.abort.abort(new StartupError('shutting down'));
    }
    return this.stopping;
  }

  /** Last resort when the launcher itself is exiting: SIGKILL every child still running, synchronously. */
  killNow(): void {
    for (const child of this.children) child.kill('SIGKILL');
  }

  private async cleanUp(): Promise<void> {
    // Start-up steps end quickly once aborted; waiting for them means nothing it starts is left behind.
    await this.startup.catch(() => undefined);
    const { log, config } = this.deps;
    const edge = this.edge;
    await Promise.all([
      edge ? closeEdge(edge) : Promise.resolve(),
      stopServices(this.children, config.SHUTDOWN_GRACE_MS + KILL_MARGIN_MS, (names) =>
        log.warn(`${names.join(', ')} did not stop in time: sending SIGKILL`),
      ),
    ]);
    // After the services: a mail still being sent during their drain must find the sink there.
    await this.mail?.close().catch((error: unknown) => log.warn(`mail sink: ${describeError(error)}`));
    if (this.usesContainers) log.info('stopping the testcontainers...');
    await this.stopBacking();
    if (edge !== undefined || this.children.length > 0) log.info('stopped');
  }

  private checkpoint(): void {
    if (this.abort.signal.aborted) throw this.abort.signal.reason;
  }

  private async start(): Promise<void> {
    const { deps } = this;
    const { config, log } = deps;
    const { runnable, notBuilt } = partitionByBuilt(deps.services, deps.appsDir, deps.fileExists);
    if (notBuilt.length > 0) {
      const root = path.dirname(deps.appsDir);
      const files = notBuilt.map((spec) => path.relative(root, entryPointOf(deps.appsDir, spec)));
      log.warn(
        `not built, so not started: ${notBuilt.map((s) => s.name).join(', ')} (no ${files.join(', ')})`,
      );
    }
    if (runnable.length === 0)
      throw new StartupError(
        'No service is built. Run `pnpm build` (or `pnpm start` from the repository root).',
      );
    const mailSink = wantsMailSink(config, runnable);
    await this.assertPortsFree(runnable, mailSink);
    await this.loadTls();

    const backing = await deps.resolveBacking();
    if (!backing.ok) throw new StartupError(backing.message);
    this.stopBacking = backing.stop;
    this.usesContainers = Object.values(backing.sources).includes('container');
    this.checkpoint();
    for (const kind of ['postgres', 'redis', 'rabbitmq'] as const) {
      log.info(`${kind}: ${redactUrl(backing.urls[kind])} (${backing.sources[kind]})`);
    }

    const applied = await deps.prepareDatabase(backing.urls.postgres);
    log.info(
      applied.length > 0 ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date',
    );
    this.checkpoint();

    const keys = {
      ...chooseSigningKeys(config, this.deps.baseEnv.JWT_PRIVATE_KEYS),
      service: serviceIdentityKeys(config.JWT_ALGORITHM, this.deps.baseEnv.SERVICE_TOKEN_KEYS),
    };
    if (keys.generated) {
      log.warn(
        'JWT_PRIVATE_KEYS is not set: signing with a key made for this run only; tokens will not survive a restart.',
      );
    }
    const mediaUrls = chooseMediaUrlSecret(config);
    if (mediaUrls.generated)
      log.warn('MEDIA_URL_SECRET is not set: media URLs are signed with a secret made for this run only.');
    const mail = mailSink ? await this.startMailSink() : undefined;
    this.spawnAll(runnable, backing.urls, keys, smtpEnvFor(mail), mediaUrls.secret);
    await waitUntilReady(readyTargetsOf(runnable), {
      timeoutMs: config.STACK_READY_TIMEOUT_MS,
      signal: this.abort.signal,
      check: deps.readyCheck ?? serviceReadyCheck,
    });
    this.checkpoint();

    const webApp = this.webApp();
    this.edge = createEdge(edgeTargetsFor(runnable), {
      tls: this.tls,
      hsts: config.NODE_ENV === 'production',
      webApp,
    });
    await listenEdge(this.edge, config.EDGE_PORT, config.EDGE_HOST).catch((error: unknown) => {
      throw new StartupError(
        `The edge cannot listen on ${config.EDGE_HOST}:${config.EDGE_PORT}: ${describeError(error)}`,
      );
    });
    this.printUrls(runnable, notBuilt, webApp !== undefined);
  }

  /** The built web app for the edge to serve, or undefined (with a warning) while it is not built. */
  private webApp(): WebAppFiles | undefined {
    const { config, appsDir, fileExists, log } = this.deps;
    const dir = config.WEB_APP_DIR ?? path.join(appsDir, 'web', 'dist');
    if (fileExists(path.join(dir, 'index.html'))) return webAppFiles(dir, { secure: this.tls !== undefined });
    log.warn(`the web app is not built (no ${path.join(dir, 'index.html')}): the edge serves the API only`);
    return undefined;
  }

  private async assertPortsFree(runnable: readonly ServiceSpec[], mailSink: boolean): Promise<void> {
    const own = ownPorts(this.deps.config, mailSink);
    const clashes = findPortClashes(runnable, ownersByLabel(own));
    if (clashes.length > 0) throw new StartupError(`Port clash in the service table: ${clashes.join('; ')}`);
    const busy: PortClaim[] = [];
    for (const claim of portClaims(runnable, own))
      if (await portInUse(claim.port, claim.host)) busy.push(claim);
    if (busy.length > 0) throw new StartupError(busyMessage(busy));
  }

  /** Reads the configured certificate (or makes one) before anything starts, so a bad path fails fast. */
  private async loadTls(): Promise<void> {
    this.tls = await loadEdgeTls(this.deps.config).catch((error: unknown) => {
      throw new StartupError(describeError(error));
    });
    if (this.tls?.selfSigned !== true) return;
    const file = await saveCertificate(this.tls.cert);
    this.deps.log.warn(
      `EDGE_TLS_SELF_SIGNED: HTTPS with a certificate made for this run (browsers warn about it); ` +
        `trust it for curl with --cacert ${file}`,
    );
  }

  private async startMailSink(): Promise<LocalMailSink> {
    const options = mailSinkOptions(this.deps.config);
    try {
      this.mail = await this.deps.startMailSink(options);
    } catch (error) {
      throw new StartupError(
        `The mail sink (SMTP ${options.host}:${options.smtpPort}, inbox port ${options.httpPort}) did not start: ` +
          `${describeError(error)}. Move it with MAIL_SINK_SMTP_PORT / MAIL_SINK_HTTP_PORT, or set SMTP_HOST.`,
      );
    }
    this.checkpoint();
    return this.mail;
  }

  private spawnAll(
    runnable: readonly ServiceSpec[],
    urls: BackingUrls,
    keys: SigningKeys,
    smtp: Record<string, string | undefined>,
    mediaUrlSecret: string,
  ): void {
    const { deps } = this;
    const { config } = deps;
    const width = nameColumnWidth(deps.services);
    const shared = {
      ...sharedServiceEnv(config, urls, { keys, issuer: tokenIssuer(config) }, smtp),
      mediaDir: mediaStorageDir(deps.baseEnv, path.dirname(deps.appsDir)),
      mediaUrlSecret,
    };
    for (const spec of runnable) {
      const child = spawnService({
        name: spec.name,
        entry: entryPointOf(deps.appsDir, spec),
        cwd: path.join(deps.appsDir, spec.dir),
        env: serviceEnv(deps.baseEnv, spec, shared),
        prefix: prefixFor(spec.name, width),
        stdout: deps.stdout,
        stderr: deps.stderr,
      });
      this.children.push(child);
      void child.exited.then((exit) => this.onChildExit(spec.name, describeExit(exit)));
    }
  }

  private onChildExit(name: string, how: string): void {
    if (this.stopping !== undefined) {
      this.deps.log.info(`${name} ${how}`);
      return;
    }
    this.deps.log.error(`${name} ${how} unexpectedly: stopping everything`);
    void this.shutdown(1);
  }

  private printUrls(runnable: readonly ServiceSpec[], notBuilt: readonly ServiceSpec[], app: boolean): void {
    const width = Math.max('web app'.length, ...runnable.map((s) => s.name.length));
    const lines = [
      'platform is up:',
      `  ${'edge'.padEnd(width)}  ${this.edgeUrl}  (health: ${this.edgeUrl}/health)`,
      ...(app ? [`  ${'web app'.padEnd(width)}  ${this.edgeUrl}/  (sign up, sign in, chat)`] : []),
      ...runnable.map((s) => `  ${s.name.padEnd(width)}  ${serviceUrl(s)}  metrics: ${metricsUrl(s)}`),
      ...this.mailLines(runnable, width),
      ...(notBuilt.length > 0
        ? [`  not running (not built): ${notBuilt.map((s) => s.name).join(', ')}`]
        : []),
      'Ctrl-C stops everything.',
    ];
    this.deps.log.info(lines.join('\n'));
  }

  /** Where the run's mail can be read: the sink's inbox, or the user's own server. */
  private mailLines(runnable: readonly ServiceSpec[], width: number): string[] {
    const senders = runnable.filter((s) => s.sendsMail === true).map((s) => s.name);
    if (this.mail !== undefined) {
      const { inboxUrl, host, smtpPort } = this.mail;
      return [
        `  ${'inbox'.padEnd(width)}  ${inboxUrl}  (mail of ${senders.join(', ')}; SMTP sink ${host}:${smtpPort})`,
      ];
    }
    const smtpHost = this.deps.config.SMTP_HOST;
    return smtpHost !== undefined && senders.length > 0
      ? [`  ${'mail'.padEnd(width)}  sent through SMTP_HOST=${smtpHost} (no local sink)`]
      : [];
  }
}
