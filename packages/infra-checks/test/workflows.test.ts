import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { IMAGE_APPS, OVERLAYS } from './objects.js';
import { isRecord, readRepoFile, repoRoot } from './render.js';
import { actionlint, commandsOf, loadWorkflow, workflowFiles, type Job } from './workflows.js';

const ciRun = readRepoFile('.ci/run');
const rootPackage = JSON.parse(readRepoFile('package.json')) as {
  packageManager: string;
  engines: { node: string };
};

/** The pnpm commands .ci/run runs, in order (`pnpm --version` only reports). */
const ciRunCommands = ciRun
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => /^pnpm \w/.test(line) && line !== 'pnpm --version');

/** The test command of README's "Two commands" block (the text before its comment). */
function readmeTestCommand(): string | undefined {
  const block =
    readRepoFile('README.md')
      .split(/^## Two commands$/m)[1]
      ?.split('```')[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.split('#', 1)[0]?.trim() ?? '')
    .find((line) => line.startsWith('pnpm test'));
}

const majorOf = (version: string) => version.match(/(\d+)/)?.[1];

describe('.github/workflows and actionlint', () => {
  it('finds the three workflows and actionlint reports nothing', async () => {
    expect(workflowFiles()).toEqual(['ci.yaml', 'deploy.yaml', 'images.yaml']);
    const { code, output } = await actionlint('.github/workflows/*.yaml');
    expect(output).toContain('Checking 3 workflow file(s)');
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('passed') });
  }, 60_000);

  it('reports a real mistake (a job needing one that does not exist), so a pass means something', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'actionlint-'));
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(
      file,
      'on: push\njobs:\n  a:\n    needs: nope\n    runs-on: ubuntu-24.04\n    steps:\n      - run: true\n',
    );
    try {
      const { code, output } = await actionlint(file);
      expect(code).toBe(1);
      expect(output).toMatch(/nope/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('pins every action to a version or a commit, never a branch', () => {
    const loose = workflowFiles().flatMap((file) =>
      Object.values(loadWorkflow(file).jobs)
        .flatMap((job) => [job.uses, ...(job.steps ?? []).map((s) => s.uses)])
        .filter((uses): uses is string => uses !== undefined && !uses.startsWith('./'))
        .filter((uses) => !/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(uses))
        .map((uses) => `${file}: ${uses}`),
    );
    expect(loose).toEqual([]);
  });
});

describe('ci.yaml', () => {
  const workflow = loadWorkflow('ci.yaml');
  const job: Job | undefined = workflow.jobs.test;

  it('runs on every push and pull request', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
  });

  it("runs .ci/run's commands in its order, ending with the README's test command", () => {
    expect(ciRunCommands).toEqual([
      'pnpm install --frozen-lockfile',
      'pnpm lint',
      'pnpm typecheck',
      'pnpm test',
    ]);
    expect(ciRunCommands.at(-1)).toBe(readmeTestCommand());
    expect(commandsOf(job).filter((c) => /^pnpm \w/.test(c) && c !== 'pnpm --version')).toEqual(
      ciRunCommands,
    );
  });

  it("uses package.json's Node major (engines) and pnpm (packageManager), as .ci/run and the images do", () => {
    const pnpm = rootPackage.packageManager.split('@')[1];
    expect(ciRun).toContain(`PNPM_VERSION=${pnpm}`);
    expect(commandsOf(job)).toContain(`npm install --global --force pnpm@${pnpm}`);
    const node = majorOf(rootPackage.engines.node);
    expect(job?.container).toMatch(new RegExp(`^node:${node}-`));
    expect(readRepoFile('infra/docker/Dockerfile')).toContain(`ARG NODE_IMAGE=node:${node}-`);
  });

  it('installs promtool and chromium from Debian packages as .ci/run does, starting no service', () => {
    const install = commandsOf(job).find((c) => c.includes('apt-get install')) ?? '';
    for (const pkg of ['prometheus', 'chromium']) {
      expect(ciRun).toMatch(new RegExp(`apt_install ${pkg}\\b`));
      expect(install).toMatch(new RegExp(`\\b${pkg}\\b`));
    }
    expect(commandsOf(job).join('\n')).toMatch(
      /policy-rc\.d[\s\S]*apt-get install[\s\S]*rm -f \/usr\/sbin\/policy-rc\.d/,
    );
  });

  it('points DATABASE_URL, REDIS_URL and AMQP_URL at its service containers, with their credentials', () => {
    const services = job?.services ?? {};
    const url = (key: string) => new URL(job?.env?.[key] ?? 'invalid:');
    expect(services[url('DATABASE_URL').hostname]?.image).toMatch(/^postgres:/);
    expect(services.postgres?.env?.POSTGRES_HOST_AUTH_METHOD).toBe('trust');
    expect(services[url('REDIS_URL').hostname]?.image).toMatch(/^redis:/);
    const amqp = url('AMQP_URL');
    expect(services[amqp.hostname]?.image).toMatch(/^rabbitmq:/);
    expect([amqp.username, amqp.password]).toEqual([
      services[amqp.hostname]?.env?.RABBITMQ_DEFAULT_USER,
      services[amqp.hostname]?.env?.RABBITMQ_DEFAULT_PASS,
    ]);
  });
});

describe('images.yaml', () => {
  const workflow = loadWorkflow('images.yaml');
  const job = workflow.jobs.image;
  const steps = job?.steps ?? [];
  const index = (pattern: RegExp) => steps.findIndex((s) => pattern.test(`${s.uses ?? ''} ${s.run ?? ''}`));

  /** The apps of skaffold.yaml's artifacts and of infra/deploy.sh: the same six as the matrix. */
  const skaffoldApps = (): string[] => {
    const config: unknown = parse(readRepoFile('skaffold.yaml'));
    const artifacts =
      isRecord(config) && isRecord(config.build) && Array.isArray(config.build.artifacts)
        ? config.build.artifacts
        : [];
    return artifacts.map(
      (a: { docker?: { buildArgs?: { APP?: string } } }) => a.docker?.buildArgs?.APP ?? '?',
    );
  };
  const deployApps = () =>
    readRepoFile('infra/deploy.sh')
      .match(/^apps="([^"]*)"$/m)?.[1]
      ?.split(' ') ?? [];

  it('runs on main, and for deploy.yaml', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'] }, workflow_call: null });
  });

  it('builds one image per app, the same apps as skaffold.yaml and infra/deploy.sh', () => {
    const matrix = (job?.strategy?.matrix?.app ?? []) as string[];
    expect([...matrix].sort()).toEqual([...IMAGE_APPS].sort());
    expect(skaffoldApps().sort()).toEqual([...matrix].sort());
    expect(deployApps().sort()).toEqual([...matrix].sort());
  });

  it('builds with infra/docker/Dockerfile and the APP build arg, tagged as the deploy expects', () => {
    const build = steps[index(/docker\/build-push-action/)];
    expect(build?.with).toMatchObject({
      file: 'infra/docker/Dockerfile',
      'build-args': 'APP=${{ matrix.app }}',
      load: true,
    });
    expect(job?.env?.IMAGE).toBe('${{ vars.REGISTRY }}/platform-${{ matrix.app }}:${{ github.sha }}');
  });

  it('makes an SBOM and fails on a critical vulnerability before anything is pushed', () => {
    const scan = steps[index(/anchore\/scan-action/)];
    expect(scan?.with).toMatchObject({ 'fail-build': true, 'severity-cutoff': 'critical' });
    expect(index(/anchore\/sbom-action/)).toBeGreaterThan(index(/build-push-action/));
    expect(index(/docker push/)).toBeGreaterThan(index(/anchore\/scan-action/));
  });
});

describe('deploy.yaml', () => {
  const workflow = loadWorkflow('deploy.yaml');
  const deployed = (job: Job | undefined) =>
    commandsOf(job).flatMap((c) => [...c.matchAll(/^sh infra\/deploy\.sh (\S+) /g)].map((m) => m[1]));

  it('runs on v* tags, building the images first', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v*'] } });
    expect(workflow.jobs.images?.uses).toBe('./.github/workflows/images.yaml');
  });

  it('deploys staging, then production, each behind its GitHub environment', () => {
    const { staging, production } = workflow.jobs;
    expect([staging?.environment, staging?.needs]).toEqual(['staging', 'images']);
    expect([production?.environment, production?.needs]).toEqual(['production', 'staging']);
    expect(deployed(staging)).toEqual(['staging']);
    expect(deployed(production)).toEqual(['prod']);
  });

  it('deploys only overlays that exist and that infra-checks renders', () => {
    const overlays = Object.values(workflow.jobs).flatMap(deployed);
    const missing = overlays.filter(
      (o) =>
        !OVERLAYS.some((known) => known === o) ||
        !existsSync(path.join(repoRoot(), 'infra/k8s/overlays', o ?? '')),
    );
    expect(missing).toEqual([]);
    expect(readFileSync(path.join(repoRoot(), 'infra/deploy.sh'), 'utf8')).toContain(
      'infra/k8s/overlays/$overlay',
    );
  });
});
