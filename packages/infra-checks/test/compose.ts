import { parse } from 'yaml';
import { isRecord, readRepoFile } from './render.js';

/** One service of compose.yaml after interpolation, with the fields the checks read. */
export interface ComposeService {
  readonly image?: string;
  readonly build?: { context?: string; dockerfile?: string; args?: Record<string, string> };
  readonly entrypoint?: string[];
  readonly command?: string[];
  readonly environment?: Record<string, string>;
  readonly expose?: string[];
  readonly ports?: string[];
  readonly volumes?: string[];
  readonly restart?: string;
  readonly healthcheck?: { test?: string[] };
  readonly depends_on?: Record<string, { condition?: string }>;
}

/** compose.yaml as Compose reads it: anchors and merge keys resolved, variables interpolated. */
export interface ComposeFile {
  readonly services: Record<string, ComposeService>;
  readonly volumes?: Record<string, unknown>;
}

/**
 * Compose's interpolation of one string: `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}`
 * (unset), `$VAR`, and `$$` for a literal dollar. Other forms (`:?`, `:+`) are refused, so that a file
 * using one fails here rather than being checked with the wrong value.
 */
export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(
    /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*)|(\{[^}]*\}))/g,
    (whole, braced?: string, op?: string, fallback?: string, bare?: string, other?: string) => {
      if (whole === '$$') return '$';
      if (other !== undefined) throw new Error(`unsupported interpolation ${whole}`);
      const value = env[braced ?? bare ?? ''];
      if (op === ':-') return value === undefined || value === '' ? (fallback ?? '') : value;
      if (op === '-') return value ?? fallback ?? '';
      return value ?? '';
    },
  );
}

function interpolateAll(value: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, env));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, env)]));
  return value;
}

/**
 * Parses compose.yaml (merge keys on, as Compose does) and interpolates it with `env`, an empty one
 * by default: the values a developer gets who sets nothing. Untyped, for the schema check.
 */
export function composeDocument(env: Readonly<Record<string, string | undefined>> = {}): unknown {
  return interpolateAll(parse(readRepoFile('compose.yaml'), { merge: true }), env);
}

/** compose.yaml, typed for the cross-checks once the schema test has vouched for its shape. */
export function loadCompose(env: Readonly<Record<string, string | undefined>> = {}): ComposeFile {
  const doc = composeDocument(env);
  if (!isRecord(doc) || !isRecord(doc.services)) throw new Error('compose.yaml has no services');
  return doc as unknown as ComposeFile;
}

/** The app folder a service's image is built from (`build.args.APP`), if it is one of ours. */
export function appOf(service: ComposeService): string | undefined {
  return service.build?.dockerfile === 'infra/docker/Dockerfile' ? service.build.args?.APP : undefined;
}

/** `http://127.0.0.1:<port><path>` asked by a healthcheck command, if it asks one. */
export function healthcheckUrl(service: ComposeService): URL | undefined {
  const match = (service.healthcheck?.test ?? []).join(' ').match(/http:\/\/127\.0\.0\.1:\d+\/[\w/-]*/);
  return match ? new URL(match[0]) : undefined;
}

/** Named volumes a service mounts, as `{ source, target }` (bind mounts start with `.` or `/`). */
export function namedVolumes(service: ComposeService): { source: string; target: string }[] {
  return (service.volumes ?? [])
    .map((spec) => spec.split(':'))
    .filter(([source]) => source !== undefined && !/^[./]/.test(source))
    .map(([source = '', target = '']) => ({ source, target }));
}
