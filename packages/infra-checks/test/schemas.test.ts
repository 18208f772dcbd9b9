import { OVERLAYS } from './objects.js';
import { describeObject, renderKustomization, type RenderedObject } from './render.js';
import { schemaProblems, typeOf } from './schemas.js';

/** Everything `kubectl apply -k` may be pointed at: every overlay and the dev backing services. */
const KUSTOMIZATIONS = [...OVERLAYS.map((o) => `infra/k8s/overlays/${o}`), 'infra/k8s/dev-deps'];

describe.each(KUSTOMIZATIONS)('kubectl kustomize %s', (dir) => {
  let objects: RenderedObject[];

  beforeAll(async () => {
    objects = await renderKustomization(dir);
  }, 30_000);

  it('renders objects', () => {
    expect(objects.length).toBeGreaterThan(0);
  });

  it('renders only objects that match their schema, of known kinds', () => {
    // One list of every problem, so a failure names all broken objects at once.
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });

  it('renders no object twice', () => {
    const seen = objects.map((o) => `${typeOf(o)} ${describeObject(o)}`);
    expect(seen.filter((key, index) => seen.indexOf(key) !== index)).toEqual([]);
  });
});

describe('schemaProblems', () => {
  const object = (body: Record<string, unknown>): RenderedObject => ({
    apiVersion: String(body.apiVersion),
    kind: String(body.kind),
    name: 'x',
    namespace: 'platform',
    body,
  });

  it('reports a kind it has no schema for instead of passing it', () => {
    const custom = object({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } });
    expect(schemaProblems(custom)).toEqual([
      'Widget platform/x: no schema for example.com/v1/Widget (unknown apiVersion/kind)',
    ]);
  });

  it('reports a field of the wrong type', () => {
    const service = object({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'x' },
      spec: { ports: [{ name: 'http', port: '80' }] },
    });
    expect(schemaProblems(service)).toEqual([expect.stringMatching(/spec\/ports\/0\/port must be integer/)]);
  });
});
