import type { MediaView } from '@platform/contracts';
import { AuthApi } from './auth.js';
import { Http, type FetchLike, type HttpOptions } from './http.js';
import type { RestApi } from './operations.js';
import { RealtimeClient, type RealtimeOptions } from './realtime.js';
import { restApi } from './rest.js';
import { Session, type SessionEvents, type TokenTransport } from './session.js';
import { browserTabSync, soloTab } from './tab-sync.js';
import { memoryTokenStore, type TokenStore } from './token-store.js';
import { uploadMedia, type UploadFile, type UploadOptions } from './upload.js';

export interface ClientOptions {
  /** The edge: `https://example.com`; '' (the default) for the page's own origin. */
  baseUrl?: string;
  /** Per-service base URLs that bypass the edge (inside a cluster, tests). */
  serviceUrls?: HttpOptions['serviceUrls'];
  /** `cookie` in browsers (the default where there is a document), `body` elsewhere. */
  transport?: TokenTransport;
  /** Body mode's refresh-token store (memory by default). */
  tokenStore?: TokenStore;
  fetch?: FetchLike;
  credentials?: RequestCredentials;
  /** Share refreshes and tokens between tabs (default: in cookie mode, where the APIs exist). */
  crossTab?: boolean;
  /** The socket: its URL defaults to `<baseUrl>/ws` with ws:// or wss://. */
  realtime?: Partial<RealtimeOptions>;
}

/** The SDK: typed REST calls, the session's routes, the chat socket, and session events. */
export interface PlatformClient {
  /** One typed method per REST route, by operation id (docs/api.md). */
  api: RestApi;
  /** Sign-in, 2FA, restore, step-up, sign-out. */
  auth: AuthApi;
  /** Uploads (`POST /media`, multipart), with progress in browsers. */
  media: { upload(file: UploadFile, options?: UploadOptions): Promise<MediaView> };
  /** The chat socket (created on first use; call `connect()`). */
  realtime(): RealtimeClient;
  /** `signedIn`, `token`, `signedOut` (with its reason). */
  on<K extends keyof SessionEvents>(event: K, listener: (payload: SessionEvents[K]) => void): () => void;
  /** The current access token (memory only), for code that talks to the API some other way. */
  accessToken(): string | null;
  /** Stops the socket and cross-tab listening; the session itself is left as it is. */
  close(): void;
}

/** The socket's URL from the API's base URL, or from the page's location for a same-origin API. */
function socketUrl(baseUrl: string): string {
  const location = (globalThis as { location?: { protocol: string; host: string } }).location;
  const base = baseUrl || (location ? `${location.protocol}//${location.host}` : '');
  if (!base) throw new TypeError('Give baseUrl (or realtime.url) outside a browser.');
  return `${base.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`;
}

/** Creates a client for one API; in a browser, `createClient()` alone is cookie mode on the page's origin. */
export function createClient(options: ClientOptions = {}): PlatformClient {
  const baseUrl = options.baseUrl ?? '';
  const inBrowser = typeof (globalThis as { document?: unknown }).document !== 'undefined';
  const transport = options.transport ?? (inBrowser ? 'cookie' : 'body');
  const http = new Http({
    baseUrl,
    ...(options.serviceUrls ? { serviceUrls: options.serviceUrls } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const crossTab = options.crossTab ?? transport === 'cookie';
  const session = new Session(http, {
    transport,
    store: options.tokenStore ?? memoryTokenStore(),
    tabs: crossTab ? browserTabSync(`platform-client:${baseUrl}`) : soloTab,
  });
  let socket: RealtimeClient | null = null;
  return {
    api: restApi(http, session),
    auth: new AuthApi(http, session),
    media: { upload: (file, uploadOptions) => uploadMedia(http, session, file, uploadOptions) },
    realtime() {
      socket ??= new RealtimeClient(session, {
        ...options.realtime,
        url: options.realtime?.url ?? socketUrl(baseUrl),
      });
      return socket;
    },
    on: (event, listener) => session.events.on(event, listener),
    accessToken: () => session.current(),
    close() {
      socket?.close();
      session.close();
    },
  };
}
