import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describeObject, type RenderedObject } from './render.js';

/** What every generated model class offers: an object that checks itself against its OpenAPI schema. */
type ModelClass = (new () => { validate(): void }) & {
  readonly apiVersion: string;
  readonly kind: string;
};

/**
 * The kinds our manifests may use, each with its schema. A kind missing here fails the schema test
 * instead of passing unchecked: add its model class (kubernetes-models has every built-in kind, the
 * `@kubernetes-models/*` packages the common CRDs) when a manifest starts using it.
 */
const MODELS: readonly ModelClass[] = [
  ConfigMap,
  Namespace,
  PersistentVolumeClaim,
  Secret,
  Service,
  ServiceAccount,
  DaemonSet,
  Deployment,
  StatefulSet,
  CronJob,
  Job,
  HorizontalPodAutoscaler,
  Ingress,
  NetworkPolicy,
  PodDisruptionBudget,
  PodMonitor,
  PrometheusRule,
  ServiceMonitor,
];

const BY_TYPE = new Map(MODELS.map((model) => [`${model.apiVersion}/${model.kind}`, model]));

/** `apiVersion/kind`, the key of the schema table. */
export function typeOf(object: Pick<RenderedObject, 'apiVersion' | 'kind'>): string {
  return `${object.apiVersion}/${object.kind}`;
}

/**
 * Schema problems of one object, as readable lines; empty when it is valid. An apiVersion/kind without
 * a known schema is a problem too. The schemas do not reject unknown fields (Kubernetes' OpenAPI has
 * no `additionalProperties: false`), so a misspelt optional field still passes here.
 */
export function schemaProblems(object: RenderedObject): string[] {
  const where = describeObject(object);
  const Model = BY_TYPE.get(typeOf(object));
  if (!Model) return [`${where}: no schema for ${typeOf(object)} (unknown apiVersion/kind)`];
  try {
    // Assigning the parsed body (instead of passing it to the constructor, typed per kind) keeps one
    // untyped path for every kind; the schema check is what vouches for the data.
    Object.assign(new Model(), object.body).validate();
    return [];
  } catch (error) {
    return [`${where}: ${error instanceof Error ? error.message : String(error)}`];
  }
}
