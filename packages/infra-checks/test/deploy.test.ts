import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ofType, PLATFORM_NAMESPACE, PUBLIC_OVERLAYS } from './objects.js';
import { parseObjects, repoRoot, type RenderedObject } from './render.js';
import { schemaProblems } from './schemas.js';

const run = promisify(execFile);
const REGISTRY = 'registry.example.com/acme';
const TAG = '0123456789abcdef0123456789abcdef01234567';

/** What the deploy workflow would apply: `infra/deploy.sh --render`, parsed. */
async function renderDeploy(overlay: string): Promise<RenderedObject[]> {
  const { stdout } = await run(
    'sh',
    [path.join(repoRoot(), 'infra/deploy.sh'), '--render', overlay, `${REGISTRY}/`, TAG],
    {
      maxBuffer: 32 * 1024 * 1024,
    },
  );
  return parseObjects(stdout, `deploy.sh ${overlay}`);
}

describe.each(PUBLIC_OVERLAYS)('infra/deploy.sh %s', (overlay) => {
  let objects: RenderedObject[];

  beforeAll(async () => {
    objects = await renderDeploy(overlay);
  }, 30_000);

  it('pins every platform image to <registry>/platform-<app>:<tag>, so nothing unscanned is pulled', () => {
    const templates = [
      ...ofType(objects, Deployment.is).filter((d) => d.metadata?.namespace === PLATFORM_NAMESPACE),
      ...ofType(objects, Job.is).filter((j) => j.metadata?.namespace === PLATFORM_NAMESPACE),
    ].map((o) => o.spec?.template.spec);
    const images = templates.flatMap((spec) =>
      [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.image ?? ''),
    );
    expect(images.length).toBeGreaterThan(0);
    expect(
      images.filter((image) => !new RegExp(`^${REGISTRY}/platform-[a-z-]+:${TAG}$`).test(image)),
    ).toEqual([]);
  });

  it('renders only objects that match their schema', () => {
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });
});
