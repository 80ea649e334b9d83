import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';

// `kubectl apply -k` renders k8s/overlays/* with kustomize; this machine has no kustomize binary, so
// the spec renders the overlay with this small, offline re-implementation of exactly the subset the
// manifests use. It is honest rather than lenient: any kustomization field, patch form or list it
// does not implement throws, so a manifest can never use a feature the spec silently skips.
// Transformers run in kustomize's order (api/internal/target/kusttarget_configplugin.go):
// patches, then namespace, then labels, then images.

/** A Kubernetes object as the renderer sees it: apiVersion, kind, metadata.name, anything else. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** A kustomization (or a manifest) uses something kustomize-lite does not implement, or is wrong. */
export class KustomizeLiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KustomizeLiteError';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'images', 'patches']);

// Kinds the namespace transformer leaves alone or rewrites in ways not implemented here (RoleBinding
// subjects): refusing them keeps the renderer from placing them wrongly.
const UNSUPPORTED_UNDER_NAMESPACE = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'RoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);

/** Workload kinds whose pod template the strategic-merge list keys below apply to. */
const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

// The patchMergeKey of the lists a strategic-merge patch may touch (from the Kubernetes API types),
// by path with `[]` for list items. A list anywhere else would need its own semantics: it throws.
const POD_TEMPLATE_MERGE_KEYS: Readonly<Record<string, string>> = {
  'spec.template.spec.containers': 'name',
  'spec.template.spec.initContainers': 'name',
  'spec.template.spec.volumes': 'name',
  'spec.template.spec.containers[].env': 'name',
  'spec.template.spec.containers[].ports': 'containerPort',
  'spec.template.spec.containers[].volumeMounts': 'mountPath',
};

/** Renders the kustomization in `dir` (a folder holding kustomization.yaml) to its objects, in order. */
export function renderKustomization(dir: string): K8sObject[] {
  const root = resolve(dir);
  const file = join(root, 'kustomization.yaml');
  if (!existsSync(file)) throw new KustomizeLiteError(`${root}: no kustomization.yaml (other names are not supported)`);
  const kustomization = singleDocument(file);
  if (!isObject(kustomization)) throw new KustomizeLiteError(`${file}: not a mapping`);
  const unknown = Object.keys(kustomization).filter((key) => !SUPPORTED_FIELDS.has(key));
  if (unknown.length) throw new KustomizeLiteError(`${file}: field(s) not implemented: ${unknown.join(', ')}`);
  if (kustomization['apiVersion'] !== 'kustomize.config.k8s.io/v1beta1' || kustomization['kind'] !== 'Kustomization')
    throw new KustomizeLiteError(`${file}: must be apiVersion kustomize.config.k8s.io/v1beta1, kind Kustomization`);

  let objects = loadResources(root, kustomization['resources'] ?? [], file);
  objects = applyPatches(objects, root, kustomization['patches'] ?? [], file);
  if (kustomization['namespace'] !== undefined) objects = setNamespace(objects, kustomization['namespace'], file);
  objects = addLabels(objects, kustomization['labels'] ?? [], file);
  return setImages(objects, kustomization['images'] ?? [], file);
}

function loadResources(root: string, resources: Json, file: string): K8sObject[] {
  if (!Array.isArray(resources)) throw new KustomizeLiteError(`${file}: resources must be a list`);
  const objects: K8sObject[] = [];
  for (const entry of resources) {
    if (typeof entry !== 'string' || /^[a-z]+:\/\//i.test(entry))
      throw new KustomizeLiteError(`${file}: resource ${JSON.stringify(entry)}: only local paths are supported`);
    const path = resolve(root, entry);
    if (!existsSync(path)) throw new KustomizeLiteError(`${file}: resource ${entry} does not exist`);
    if (statSync(path).isDirectory()) objects.push(...renderKustomization(path));
    else objects.push(...manifestObjects(insideRoot(root, entry, file)));
  }
  const ids = new Set<string>();
  for (const object of objects) {
    const id = objectId(object);
    if (ids.has(id)) throw new KustomizeLiteError(`${file}: ${id} is defined twice`);
    ids.add(id);
  }
  return objects;
}

/** kustomize's default load restrictor: files (not bases) must lie inside the kustomization's folder. */
function insideRoot(root: string, entry: string, file: string): string {
  const path = resolve(root, entry);
  const rel = relative(root, path);
  if (rel.startsWith('..') || rel.startsWith(sep) || rel === '')
    throw new KustomizeLiteError(`${file}: ${entry} lies outside the kustomization's folder`);
  return path;
}

function manifestObjects(path: string): K8sObject[] {
  return documents(path).map((doc, index) => asK8sObject(doc, `${path} (document ${index + 1})`));
}

function asK8sObject(doc: Json, where: string): K8sObject {
  if (!isObject(doc)) throw new KustomizeLiteError(`${where}: not a mapping`);
  const metadata = doc['metadata'];
  if (typeof doc['apiVersion'] !== 'string' || typeof doc['kind'] !== 'string' || !isObject(metadata))
    throw new KustomizeLiteError(`${where}: apiVersion, kind and metadata are required`);
  if (typeof metadata['name'] !== 'string' || metadata['name'] === '')
    throw new KustomizeLiteError(`${where}: metadata.name is required (generateName is not supported)`);
  return doc as unknown as K8sObject;
}

function applyPatches(objects: K8sObject[], root: string, patches: Json, file: string): K8sObject[] {
  if (!Array.isArray(patches)) throw new KustomizeLiteError(`${file}: patches must be a list`);
  let result = objects;
  for (const entry of patches) {
    if (!isObject(entry)) throw new KustomizeLiteError(`${file}: each patch must be a mapping`);
    const extra = Object.keys(entry).filter((key) => key !== 'path' && key !== 'patch');
    if (extra.length) throw new KustomizeLiteError(`${file}: patch field(s) not implemented: ${extra.join(', ')}`);
    const docs =
      typeof entry['path'] === 'string'
        ? documents(insideRoot(root, entry['path'], file))
        : typeof entry['patch'] === 'string'
          ? parseDocuments(entry['patch'], `${file} (inline patch)`)
          : [];
    if (docs.length !== 1)
      throw new KustomizeLiteError(`${file}: each patch must be one document, given by path or patch`);
    const patch = docs[0]!;
    if (Array.isArray(patch)) throw new KustomizeLiteError(`${file}: JSON 6902 patches are not implemented`);
    result = strategicMergeByName(result, asK8sObject(patch, `${file}: patch ${JSON.stringify(entry)}`));
  }
  return result;
}

function strategicMergeByName(objects: K8sObject[], patch: K8sObject): K8sObject[] {
  if (patch.metadata.namespace !== undefined)
    throw new KustomizeLiteError(`patch ${objectId(patch)}: matching by namespace is not implemented`);
  const matches = objects.filter(
    (o) => o.apiVersion === patch.apiVersion && o.kind === patch.kind && o.metadata.name === patch.metadata.name,
  );
  if (matches.length !== 1)
    throw new KustomizeLiteError(`patch ${objectId(patch)}: matches ${matches.length} resources, not exactly one`);
  const target = matches[0]!;
  const mergeKeys = POD_TEMPLATE_KINDS.has(target.kind) ? POD_TEMPLATE_MERGE_KEYS : {};
  const merged = mergeObject(
    target as unknown as JsonObject,
    patch as unknown as JsonObject,
    '',
    mergeKeys,
  ) as unknown as K8sObject;
  return objects.map((o) => (o === target ? merged : o));
}

function mergeObject(
  base: JsonObject,
  patch: JsonObject,
  path: string,
  mergeKeys: Readonly<Record<string, string>>,
): JsonObject {
  const result: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const at = path ? `${path}.${key}` : key;
    if (key.startsWith('$')) throw new KustomizeLiteError(`patch directive ${at} is not implemented`);
    const current = base[key];
    if (value === null) delete result[key];
    else if (Array.isArray(value)) result[key] = mergeList(current, value, at, mergeKeys);
    else if (isObject(value) && isObject(current)) result[key] = mergeObject(current, value, at, mergeKeys);
    else result[key] = value;
  }
  return result;
}

function mergeList(base: Json | undefined, patch: Json[], path: string, mergeKeys: Readonly<Record<string, string>>) {
  const key = mergeKeys[path];
  if (!key) throw new KustomizeLiteError(`patch list ${path}: strategic-merge semantics not implemented for it`);
  const result = Array.isArray(base) ? [...base] : [];
  for (const item of patch) {
    if (!isObject(item) || item[key] === undefined)
      throw new KustomizeLiteError(`patch list ${path}: every item needs its merge key "${key}"`);
    const index = result.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
    if (index < 0) result.push(item);
    else result[index] = mergeObject(result[index] as JsonObject, item, `${path}[]`, mergeKeys);
  }
  return result;
}

function setNamespace(objects: K8sObject[], namespace: Json, file: string): K8sObject[] {
  if (typeof namespace !== 'string' || namespace === '')
    throw new KustomizeLiteError(`${file}: namespace must be a name`);
  return objects.map((object) => {
    if (UNSUPPORTED_UNDER_NAMESPACE.has(object.kind))
      throw new KustomizeLiteError(`${file}: namespace with ${object.kind} ${object.metadata.name} is not implemented`);
    return { ...object, metadata: { ...object.metadata, namespace } };
  });
}

// `labels` adds to metadata.labels, and with includeTemplates to an existing
// spec.template.metadata.labels too (never to selectors: includeSelectors is not implemented).
function addLabels(objects: K8sObject[], labels: Json, file: string): K8sObject[] {
  if (!Array.isArray(labels)) throw new KustomizeLiteError(`${file}: labels must be a list`);
  let result = objects;
  for (const entry of labels) {
    if (!isObject(entry) || !isObject(entry['pairs'])) throw new KustomizeLiteError(`${file}: labels need pairs`);
    const extra = Object.keys(entry).filter((key) => key !== 'pairs' && key !== 'includeTemplates');
    if (extra.length) throw new KustomizeLiteError(`${file}: labels field(s) not implemented: ${extra.join(', ')}`);
    const pairs = entry['pairs'];
    if (Object.values(pairs).some((value) => typeof value !== 'string'))
      throw new KustomizeLiteError(`${file}: label values must be strings (quote them)`);
    const add = pairs as Record<string, string>;
    const templates = entry['includeTemplates'] === true;
    result = result.map((object) => {
      const labelled: K8sObject = {
        ...object,
        metadata: { ...object.metadata, labels: { ...object.metadata.labels, ...add } },
      };
      const template = templates ? templateMetadata(object) : undefined;
      if (!template || !isObject(template['labels'])) return labelled;
      const spec = object['spec'] as JsonObject;
      const tpl = spec['template'] as JsonObject;
      return {
        ...labelled,
        spec: { ...spec, template: { ...tpl, metadata: { ...template, labels: { ...template['labels'], ...add } } } },
      };
    });
  }
  return result;
}

function templateMetadata(object: K8sObject): JsonObject | undefined {
  const spec = object['spec'];
  const template = isObject(spec as Json) ? (spec as JsonObject)['template'] : undefined;
  const metadata = isObject(template) ? template['metadata'] : undefined;
  return isObject(metadata) ? metadata : undefined;
}

// `images` rewrites the image of every container and init container whose image name (without
// tag or digest) equals `name`.
function setImages(objects: K8sObject[], images: Json, file: string): K8sObject[] {
  if (!Array.isArray(images)) throw new KustomizeLiteError(`${file}: images must be a list`);
  let result = objects;
  for (const entry of images) {
    if (!isObject(entry) || typeof entry['name'] !== 'string')
      throw new KustomizeLiteError(`${file}: each image needs a name`);
    const extra = Object.keys(entry).filter((key) => !['name', 'newName', 'newTag', 'digest'].includes(key));
    if (extra.length) throw new KustomizeLiteError(`${file}: images field(s) not implemented: ${extra.join(', ')}`);
    for (const key of ['newName', 'newTag', 'digest'])
      if (entry[key] !== undefined && typeof entry[key] !== 'string')
        throw new KustomizeLiteError(`${file}: image ${entry['name']}: ${key} must be a string (quote it)`);
    const rule = entry as { name: string; newName?: string; newTag?: string; digest?: string };
    result = result.map((object) => rewriteImages(object as unknown as Json, rule) as unknown as K8sObject);
  }
  return result;
}

function rewriteImages(node: Json, rule: { name: string; newName?: string; newTag?: string; digest?: string }): Json {
  if (Array.isArray(node)) return node.map((item) => rewriteImages(item, rule));
  if (!isObject(node)) return node;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
      result[key] = value.map((container) =>
        isObject(container) && typeof container['image'] === 'string'
          ? { ...container, image: rewriteImage(container['image'], rule) }
          : container,
      );
    } else result[key] = rewriteImages(value, rule);
  }
  return result;
}

function rewriteImage(image: string, rule: { name: string; newName?: string; newTag?: string; digest?: string }) {
  const { name, tag, digest } = parseImage(image);
  if (name !== rule.name) return image;
  const newName = rule.newName ?? name;
  if (rule.digest !== undefined) return `${newName}@${rule.digest}`;
  if (rule.newTag !== undefined) return `${newName}:${rule.newTag}`;
  return `${newName}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
}

/** `registry:5000/team/app:1.2@sha256:…` → name `registry:5000/team/app`, tag `1.2`, digest `sha256:…`. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const withoutDigest = at < 0 ? image : image.slice(0, at);
  const digest = at < 0 ? undefined : image.slice(at + 1);
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    ...(hasTag ? { tag: withoutDigest.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** `apps/v1/Deployment/ns/name`: what kustomize calls a resource id. */
export function objectId(object: K8sObject): string {
  return `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? '~'}/${object.metadata.name}`;
}

function singleDocument(path: string): Json {
  const docs = documents(path);
  if (docs.length !== 1) throw new KustomizeLiteError(`${path}: expected one YAML document, found ${docs.length}`);
  return docs[0]!;
}

function documents(path: string): Json[] {
  return parseDocuments(readFileSync(path, 'utf8'), path);
}

function parseDocuments(text: string, where: string): Json[] {
  const result: Json[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new KustomizeLiteError(`${where}: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as Json;
    if (value !== null && value !== undefined) result.push(value);
  }
  return result;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
