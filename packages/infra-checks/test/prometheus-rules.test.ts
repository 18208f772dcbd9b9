import {
  PrometheusRule,
  type IPrometheusRule,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ofType, OVERLAYS } from './objects.js';
import { renderKustomization } from './render.js';

/** The severities Alertmanager routes on (kube-prometheus-stack's default routes know these). */
const SEVERITIES = ['critical', 'warning', 'info'];

type Rule = NonNullable<NonNullable<IPrometheusRule['spec']['groups']>[number]['rules']>[number];

/** Problems of one rule, as readable lines. */
function ruleProblems(where: string, rule: Rule): string[] {
  const problems: string[] = [];
  const name = rule.alert ?? rule.record;
  const at = `${where}/${name ?? '(unnamed)'}`;
  if ((rule.alert === undefined) === (rule.record === undefined))
    problems.push(`${at}: needs exactly one of alert, record`);
  if (String(rule.expr).trim() === '') problems.push(`${at}: empty expr`);
  if (rule.alert !== undefined) {
    const severity = rule.labels?.severity;
    if (!severity || !SEVERITIES.includes(severity))
      problems.push(`${at}: severity ${severity ?? '(none)'}, expected one of ${SEVERITIES.join(', ')}`);
    for (const key of ['summary', 'description'])
      if (!rule.annotations?.[key]?.trim()) problems.push(`${at}: no ${key} annotation`);
  }
  return problems;
}

describe.each(OVERLAYS)('overlays/%s PrometheusRules', (overlay) => {
  let rules: IPrometheusRule[];

  beforeAll(async () => {
    rules = ofType(await renderKustomization(`infra/k8s/overlays/${overlay}`), PrometheusRule.is);
  }, 30_000);

  it('has rules', () => {
    expect(rules.flatMap((r) => r.spec.groups ?? []).length).toBeGreaterThan(0);
  });

  it('gives every rule an expression, and every alert a severity, a summary and a description', () => {
    const problems = rules.flatMap((r) =>
      (r.spec.groups ?? []).flatMap((group) =>
        (group.rules ?? []).flatMap((rule) => ruleProblems(`${r.metadata?.name}/${group.name}`, rule)),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('names every group once per PrometheusRule', () => {
    // The operator writes each PrometheusRule to its own rule file; Prometheus rejects a file whose
    // group names repeat, and with it every rule of that object.
    const problems = rules.flatMap((r) => {
      const names = (r.spec.groups ?? []).map((g) => g.name);
      return names
        .filter((n, i) => names.indexOf(n) !== i)
        .map((n) => `${r.metadata?.name}: group ${n} twice`);
    });
    expect(problems).toEqual([]);
  });
});
