import { existsSync } from 'node:fs';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { parse } from 'yaml';
import { PLATFORM_NAMESPACE, ofType, OVERLAYS } from './objects.js';
import { isRecord, readRepoFile, renderKustomization, repoRoot } from './render.js';

/** One build artifact of skaffold.yaml: the image it produces and the app it builds. */
interface Artifact {
  image: string;
  app: string | undefined;
}

function skaffoldArtifacts(): Artifact[] {
  const config: unknown = parse(readRepoFile('skaffold.yaml'));
  const build = isRecord(config) && isRecord(config.build) ? config.build : {};
  const artifacts = Array.isArray(build.artifacts) ? build.artifacts.filter(isRecord) : [];
  return artifacts.map((artifact) => {
    const docker = isRecord(artifact.docker) ? artifact.docker : {};
    const args = isRecord(docker.buildArgs) ? docker.buildArgs : {};
    return { image: String(artifact.image), app: typeof args.APP === 'string' ? args.APP : undefined };
  });
}

/** Images of every container (init containers too) of the platform's Deployments and Jobs. */
function platformImages(templates: readonly (IPodTemplateSpec | undefined)[]): string[] {
  const images = templates.flatMap((t) =>
    [...(t?.spec?.initContainers ?? []), ...(t?.spec?.containers ?? [])].map((c) => c.image ?? '(none)'),
  );
  return [...new Set(images)].sort();
}

describe('skaffold.yaml', () => {
  const artifacts = skaffoldArtifacts();

  it('builds each image from the app of the same name (platform-<app>)', () => {
    const problems = artifacts
      .filter((a) => a.app === undefined || a.image !== `platform-${a.app}`)
      .map((a) => `${a.image}: APP=${a.app ?? '(unset)'}`);
    expect(problems).toEqual([]);
  });

  it('builds only apps that exist', () => {
    const missing = artifacts.filter(
      (a) => !existsSync(path.join(repoRoot(), 'apps', a.app ?? '', 'package.json')),
    );
    expect(missing.map((a) => a.app)).toEqual([]);
  });

  describe.each(OVERLAYS)('and overlays/%s', (overlay) => {
    let images: string[];

    beforeAll(async () => {
      const objects = await renderKustomization(`infra/k8s/overlays/${overlay}`);
      const inPlatform = <T extends { metadata?: { namespace?: string } }>(list: T[]) =>
        list.filter((o) => o.metadata?.namespace === PLATFORM_NAMESPACE);
      images = platformImages([
        ...inPlatform(ofType(objects, Deployment.is)).map((d) => d.spec?.template),
        ...inPlatform(ofType(objects, Job.is)).map((j) => j.spec?.template),
      ]);
    }, 30_000);

    it('builds every image the platform Deployments and Jobs run', () => {
      // skaffold rewrites only images it builds; any other would be pulled as written and not exist.
      const built = artifacts.map((a) => a.image);
      expect(images.length).toBeGreaterThan(0);
      expect(images.filter((image) => !built.includes(image))).toEqual([]);
    });
  });
});
