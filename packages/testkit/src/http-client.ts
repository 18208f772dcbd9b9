/** A response with its body parsed as JSON when it is JSON. */
export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is (for broken JSON tests); overrides `body`. */
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** A tiny JSON client over real HTTP for integration tests. */
export function apiClient(baseUrl: string) {
  async function request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    const isJson = /json/.test(res.headers.get('content-type') ?? '');
    const response: ApiResponse<T> = {
      status: res.status,
      headers: Object.fromEntries(res.headers.entries()),
      body: (isJson && text ? JSON.parse(text) : text) as T,
    };
    return response;
  }
  return {
    request,
    get: <T = Record<string, unknown>>(path: string, options?: RequestOptions) =>
      request<T>('GET', path, options),
    post: <T = Record<string, unknown>>(path: string, options?: RequestOptions) =>
      request<T>('POST', path, options),
    patch: <T = Record<string, unknown>>(path: string, options?: RequestOptions) =>
      request<T>('PATCH', path, options),
    delete: <T = Record<string, unknown>>(path: string, options?: RequestOptions) =>
      request<T>('DELETE', path, options),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
