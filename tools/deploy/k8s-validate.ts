import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import type { K8sObject } from './kustomize-lite';

// Offline validation of rendered manifests against the Kubernetes API's JSON schemas, as shipped by
// kubernetes-models (generated from one Kubernetes release's OpenAPI document). Those schemas do
// not reject unknown fields, which `kubectl apply` (strict field validation) does: a misspelt
// `readinesProbe` would pass them silently. So validation also records which fields the schema's
// validator looked at, and reports every field it never read as unknown.

/** The Kubernetes release whose API schemas kubernetes-models (the installed version) ships. */
export function kubernetesModelsRelease(): { readonly models: string; readonly kubernetes: string } {
  const dir = join(require.resolve('kubernetes-models/package.json'), '..');
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  // The README's badge is the package's own statement of the release it was generated from.
  const badge = /badge\/kubernetes-(\d+\.\d+\.\d+)-/.exec(readFileSync(join(dir, 'README.md'), 'utf8'));
  if (!badge) throw new Error('kubernetes-models README names no Kubernetes release');
  return { models: version, kubernetes: badge[1]! };
}

interface Validatable {
  readonly prototype: { validate(): void };
}

/** The kinds the manifests use, by `apiVersion/kind`; any other kind is reported, not skipped. */
const MODELS: Readonly<Record<string, Validatable>> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

/** Every schema violation and unknown field of one object, as `Kind/name: path message`; [] when valid. */
export function validateK8sObject(object: K8sObject): string[] {
  const where = `${object.kind}/${object.metadata.name}`;
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) return [`${where}: no schema for ${object.apiVersion} ${object.kind}`];
  const read = new WeakMap<object, Set<string>>();
  const errors: string[] = [];
  try {
    model.prototype.validate.call(recording(object, read));
  } catch (error) {
    errors.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return [...errors, ...unknownFields(object, read, '').map((path) => `${where}: ${path} is not a field of the API`)];
}

/** A view of `value` that notes, per object, each property the validator reads. */
function recording(value: unknown, read: WeakMap<object, Set<string>>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const target = value;
  read.set(target, read.get(target) ?? new Set());
  return new Proxy(target, {
    get(obj, key, receiver) {
      if (typeof key === 'string') read.get(target)!.add(key);
      return recording(Reflect.get(obj, key, receiver), read);
    },
  });
}

function unknownFields(value: unknown, read: WeakMap<object, Set<string>>, path: string): string[] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => unknownFields(item, read, `${path}[${i}]`));
  const seen = read.get(value) ?? new Set<string>();
  return Object.entries(value).flatMap(([key, child]) =>
    seen.has(key) ? unknownFields(child, read, `${path}.${key}`) : [`${path}.${key}`],
  );
}
