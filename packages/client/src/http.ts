import type { RouteContract, ServiceName } from '@platform/contracts';
import { apiErrorOf } from './api-error.js';
import { fillPath, queryString } from './operations.js';

/** `fetch` as the client needs it (the global one by default; a wrapper in tests). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpOptions {
  /** Where the API is: the edge, e.g. `https://example.com` or `http://127.0.0.1:8080`; '' for same origin. */
  baseUrl: string;
  /**
   * Services reached directly rather than through the edge (a backend inside the cluster, tests):
   * their routes go to these base URLs.
   */
  serviceUrls?: Partial<Record<ServiceName, string>>;
  fetch?: FetchLike;
  /** `same-origin` by default: the refresh cookie goes only to our own origin. */
  credentials?: RequestCredentials;
}

/** One request of a contract: its parts, the bearer token and extra headers. */
export interface Outgoing {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
}

/** Sends requests described by route contracts; answers the parsed body or throws an ApiError. */
export class Http {
  private readonly fetch: FetchLike;

  constructor(private readonly options: HttpOptions) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The absolute URL of a path on the API (for navigations such as an OAuth start). */
  url(path: string, service?: ServiceName): string {
    const base = (service && this.options.serviceUrls?.[service]) ?? this.options.baseUrl;
    return `${base.replace(/\/$/, '')}${path}`;
  }

  /** A request outside the contracts' JSON bodies (a multipart upload), with the client's fetch and credentials. */
  raw(url: string, init: RequestInit): Promise<Response> {
    return this.fetch(url, { credentials: this.options.credentials ?? 'same-origin', ...init });
  }

  async send(contract: RouteContract, out: Outgoing): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json', ...out.headers };
    if (out.token) headers.authorization = `Bearer ${out.token}`;
    const init: RequestInit = {
      method: contract.method.toUpperCase(),
      headers,
      credentials: this.options.credentials ?? 'same-origin',
    };
    if (out.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(out.body);
    }
    const path = fillPath(contract.path, out.params) + queryString(out.query);
    const response = await this.fetch(this.url(path, contract.service), init);
    if (!response.ok) throw await apiErrorOf(response);
    if (response.status === 204) return undefined;
    const text = await response.text();
    return /json/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text;
  }
}
