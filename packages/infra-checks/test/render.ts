import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

/** One object of a rendered kustomization, before its schema is checked. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /** The object as kubectl printed it. */
  readonly body: Record<string, unknown>;
}

const run = promisify(execFile);

/**
 * The repository root: the nearest folder above the working directory with pnpm-workspace.yaml. Jest
 * runs from the package folder and compiles to CommonJS, so neither import.meta nor a fixed depth.
 */
export function repoRoot(from = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`);
  }
}

/** A file of the repository, read as text (`skaffold.yaml`, ...). */
export function readRepoFile(relative: string): string {
  return readFileSync(path.join(repoRoot(), relative), 'utf8');
}

/**
 * Renders a kustomization (a path relative to the repository root) with `kubectl kustomize`, the same
 * renderer `kubectl apply -k` and skaffold use, and parses every document. A missing kubectl fails:
 * these tests are the only check the manifests get before a deploy, so they must never skip.
 */
export async function renderKustomization(relative: string): Promise<RenderedObject[]> {
  const dir = path.join(repoRoot(), relative);
  let stdout: string;
  try {
    ({ stdout } = await run('kubectl', ['kustomize', dir], { maxBuffer: 32 * 1024 * 1024 }));
  } catch (error) {
    throw new Error(describeKubectlFailure(error, relative));
  }
  return parseObjects(stdout, relative);
}

function describeKubectlFailure(error: unknown, relative: string): string {
  const failure = error as NodeJS.ErrnoException & { stderr?: string };
  if (failure.code === 'ENOENT') {
    return 'kubectl is not installed (or not on PATH): the manifest tests render infra/k8s with `kubectl kustomize`. Install kubectl 1.27+ (https://kubernetes.io/docs/tasks/tools/).';
  }
  return `kubectl kustomize ${relative} failed:\n${failure.stderr ?? failure.message}`;
}

/** Every non-empty document of a multi-document YAML stream, as a RenderedObject. */
export function parseObjects(text: string, source: string): RenderedObject[] {
  const objects: RenderedObject[] = [];
  for (const [index, doc] of parseAllDocuments(text).entries()) {
    if (doc.errors.length > 0) throw new Error(`${source} document ${index}: ${doc.errors[0]?.message}`);
    const body: unknown = doc.toJS();
    if (body === null || body === undefined) continue;
    if (!isRecord(body)) throw new Error(`${source} document ${index} is not a mapping`);
    const metadata = isRecord(body.metadata) ? body.metadata : {};
    objects.push({
      apiVersion: String(body.apiVersion ?? ''),
      kind: String(body.kind ?? ''),
      name: String(metadata.name ?? ''),
      namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
      body,
    });
  }
  return objects;
}

/** Narrows parsed YAML to a mapping. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Kind namespace/name`, for messages. */
export function describeObject(object: RenderedObject): string {
  return `${object.kind} ${object.namespace ?? '-'}/${object.name}`;
}
