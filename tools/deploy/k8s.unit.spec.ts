import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import { parseDockerfile } from './dockerfile';
import { kubernetesModelsRelease, validateK8sObject } from './k8s-validate';
import { KustomizeLiteError, renderKustomization, type K8sObject } from './kustomize-lite';
import { natsUsers } from './nats-config';

// Issue 12, item 4: k8s/ is a kustomize base plus a production overlay. No kustomize or kubectl
// here: the overlay is rendered by tools/deploy/kustomize-lite.ts (which refuses what it does not
// implement) and every object is validated offline against the API schemas of one Kubernetes
// release, the one kubernetes-models ships (asserted below, named in the titles). Then the shape
// the issue asks for: probes, resources, securityContext, the Secret template, PDBs, the HPA and the
// network policy, each checked on the rendered objects, the way `kubectl apply -k` would send them.

const ROOT = join(__dirname, '..', '..');
const OVERLAY = join(ROOT, 'k8s/overlays/production');
const SECRET_TEMPLATE = join(ROOT, 'k8s/base/secret.template.yaml');
const NATS_CONF = readFileSync(join(ROOT, 'deploy/nats/nats-server.conf'), 'utf8');
const NAMESPACE = 'accord';
const SECRET = 'accord-secrets';

/** Each app of the services profile and the NATS user it connects as. */
const APPS: Readonly<Record<string, string>> = {
  gateway: 'gateway',
  'membership-service': 'membership',
  'invitation-service': 'invitation',
  'api-token-service': 'token',
  'notification-service': 'notification',
};
const SERVICES = Object.keys(APPS).filter((app) => app !== 'gateway');

/** Rendered YAML, checked field by field. */
type Json = any;

const objects = renderKustomization(OVERLAY);
const byKind = (kind: string): Json[] => objects.filter((o) => o.kind === kind);
const named = (kind: string, name: string): Json => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered overlay`);
  return found;
};
const deployment = (app: string) => named('Deployment', `accord-${app}`);
const container = (app: string): Json => deployment(app).spec.template.spec.containers[0];
/** Pods the manifests run: app name → the labels of its pod template. */
const workloads = new Map<string, Record<string, string>>(
  [...byKind('Deployment'), ...byKind('StatefulSet')].map((w) => [
    w.spec.template.metadata.labels['app.kubernetes.io/name'],
    w.spec.template.metadata.labels,
  ]),
);

/** A label selector (matchLabels and matchExpressions) applied to a pod's labels. */
function selects(selector: Json, labels: Record<string, string>): boolean {
  const matchLabels = Object.entries((selector?.matchLabels ?? {}) as Record<string, string>);
  const expressions = (selector?.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[];
  return (
    matchLabels.every(([key, value]) => labels[key] === value) &&
    expressions.every(({ key, operator, values = [] }) => {
      if (operator === 'In') return values.includes(labels[key]!);
      if (operator === 'NotIn') return !values.includes(labels[key]!);
      if (operator === 'Exists') return key in labels;
      if (operator === 'DoesNotExist') return !(key in labels);
      throw new Error(`selector operator ${operator}`);
    })
  );
}
const selected = (selector: Json) => [...workloads].filter(([, labels]) => selects(selector, labels)).map(([n]) => n);

/** Every `secretKeyRef` and `secretRef` in an object, as `name/key` (`name/*` for a whole Secret). */
function secretRefs(node: Json): string[] {
  if (Array.isArray(node)) return node.flatMap(secretRefs);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]: [string, Json]) =>
    key === 'secretKeyRef'
      ? [`${value.name}/${value.key}`]
      : key === 'secretRef'
        ? [`${value.name}/*`]
        : secretRefs(value),
  );
}

/** Kubernetes quantities as numbers: `100m` → 0.1, `1` → 1, `192Mi` → 192·2^20. */
function quantity(value: string | number): number {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|k|M|G)?$/.exec(String(value));
  if (!match) throw new Error(`quantity ${value}`);
  const factor = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * factor;
}

describe('k8s/overlays/production, rendered offline, against the Kubernetes 1.27.1 API schemas (kubernetes-models 4.5.0)', () => {
  it('kubernetes-models 4.5.0 is installed and ships the schemas of Kubernetes 1.27.1', () => {
    expect(kubernetesModelsRelease()).toEqual({ models: '4.5.0', kubernetes: '1.27.1' });
  });

  it('every rendered object is valid against the Kubernetes 1.27.1 schemas, with no field the API does not know', () => {
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.flatMap(validateK8sObject)).toEqual([]);
  });

  it('renders every object into the namespace accord, labelled part-of accord (pod templates too)', () => {
    expect(objects.filter((o) => o.metadata.namespace !== NAMESPACE)).toEqual([]);
    expect(objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/part-of'] !== 'accord')).toEqual([]);
    expect([...workloads.values()].every((labels) => labels['app.kubernetes.io/part-of'] === 'accord')).toBe(true);
  });

  it('ships no Secret: secrets come from the filled-in template, never from the repository', () => {
    expect(byKind('Secret')).toEqual([]);
  });

  describe('Deployments', () => {
    it('one per app, nothing else', () => {
      expect(byKind('Deployment').map((d) => d.metadata.name)).toEqual(Object.keys(APPS).map((app) => `accord-${app}`));
    });

    it.each(Object.keys(APPS))('%s runs `node dist/apps/<app>/src/main.js` of the overlay’s image', (app) => {
      const { image, command, args } = container(app);
      expect(image).toBe('registry.example.com/accord:0.1.0');
      // The image's ENTRYPOINT (tini, then node) stays; the manifest names the built entry point only.
      const runtime = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).stages.at(-1)!;
      const entrypoint = runtime.instructions.filter((i) => i.keyword === 'ENTRYPOINT').at(-1);
      expect(command).toBeUndefined();
      expect((JSON.parse(entrypoint!.args) as string[]).at(-1)).toBe('node');
      expect(args).toEqual([`dist/apps/${app}/src/main.js`]);
      expect(existsSync(join(ROOT, `apps/${app}/src/main.ts`))).toBe(true);
    });

    it.each(Object.keys(APPS))('%s has readiness, liveness and startup probes on its health port', (app) => {
      const c = container(app);
      const [port, path] = app === 'gateway' ? ['http', 3000] : ['ops', 9464];
      expect(c.ports).toEqual([{ name: port, containerPort: path }]);
      expect(c.readinessProbe.httpGet).toEqual({ path: '/health', port });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/health/live', port });
      expect(c.startupProbe.httpGet).toEqual({ path: '/health/live', port });
    });

    it('the services’ ops port is the OPS_PORT they are given', () => {
      expect(named('ConfigMap', 'accord-config').data.OPS_PORT).toBe('9464');
      for (const app of SERVICES)
        expect(container(app).envFrom).toContainEqual({ configMapRef: { name: 'accord-config' } });
    });

    it.each(Object.keys(APPS))('%s has CPU and memory requests and limits, requests within limits', (app) => {
      const { requests, limits } = container(app).resources;
      for (const resource of ['cpu', 'memory']) {
        expect(quantity(requests[resource])).toBeGreaterThan(0);
        expect(quantity(requests[resource])).toBeLessThanOrEqual(quantity(limits[resource]));
      }
    });

    it.each(Object.keys(APPS))(
      '%s runs as user 1000, non-root, read-only root filesystem, no privilege escalation, no capabilities, RuntimeDefault seccomp',
      (app) => {
        const pod = deployment(app).spec.template.spec;
        const c = container(app);
        const effective = (field: string) => c.securityContext?.[field] ?? pod.securityContext?.[field];
        expect(effective('runAsNonRoot')).toBe(true);
        expect(effective('runAsUser')).toBe(1000);
        expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
        expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
        expect(c.securityContext.capabilities.drop).toEqual(['ALL']);
        expect(effective('seccompProfile')).toEqual({ type: 'RuntimeDefault' });
        expect(pod.automountServiceAccountToken).toBe(false);
        // A writable /tmp on the read-only root.
        const tmp = c.volumeMounts.find((m: Json) => m.mountPath === '/tmp');
        expect(pod.volumes.find((v: Json) => v.name === tmp?.name)?.emptyDir).toBeDefined();
      },
    );

    it('every service runs 2 replicas or more; the gateway’s count belongs to its HorizontalPodAutoscaler', () => {
      for (const app of SERVICES) expect(deployment(app).spec.replicas).toBeGreaterThanOrEqual(2);
      expect(deployment('gateway').spec.replicas).toBeUndefined();
      expect(named('HorizontalPodAutoscaler', 'accord-gateway').spec.minReplicas).toBeGreaterThanOrEqual(2);
    });

    it.each(Object.entries(APPS))('%s connects to NATS as its own user %s, with that user’s password', (app, user) => {
      const env = container(app).env as Json[];
      expect(env.find((e) => e.name === 'NATS_USER')).toEqual({ name: 'NATS_USER', value: user });
      const passVariable = natsUsers(NATS_CONF).get(user);
      expect(passVariable).toBeDefined();
      expect(env.find((e) => e.name === 'NATS_PASS')?.valueFrom).toEqual({
        secretKeyRef: { name: SECRET, key: passVariable },
      });
      expect(named('ConfigMap', 'accord-config').data.NATS_URL).toBe('nats://accord-nats:4222');
    });

    it('each app gets exactly the secrets its configuration reads, each from Secret accord-secrets', () => {
      const secretEnv = (app: string) =>
        (container(app).env as Json[])
          .filter((e) => e.valueFrom?.secretKeyRef)
          .map((e) => `${e.name}←${e.valueFrom.secretKeyRef.key}`)
          .sort();
      expect(Object.fromEntries(Object.keys(APPS).map((app) => [app, secretEnv(app)]))).toEqual({
        gateway: [
          'AUDIT_SIGNING_KEY←AUDIT_SIGNING_KEY',
          'DATABASE_URL←DATABASE_URL',
          'JWT_SECRET←JWT_SECRET',
          'NATS_PASS←ACCORD_NATS_GATEWAY_PASS',
        ],
        'membership-service': ['DATABASE_URL←DATABASE_URL', 'NATS_PASS←ACCORD_NATS_MEMBERSHIP_PASS'],
        'invitation-service': [
          'DATABASE_URL←DATABASE_URL',
          'INVITATION_LINK_KEY←INVITATION_LINK_KEY',
          'NATS_PASS←ACCORD_NATS_INVITATION_PASS',
        ],
        'api-token-service': ['DATABASE_URL←DATABASE_URL', 'NATS_PASS←ACCORD_NATS_TOKEN_PASS'],
        'notification-service': [
          'DATABASE_URL←DATABASE_URL',
          'INVITATION_LINK_KEY←INVITATION_LINK_KEY',
          'NATS_PASS←ACCORD_NATS_NOTIFICATION_PASS',
          'SMTP_URL←SMTP_URL',
        ],
      });
    });
  });

  describe('ConfigMap accord-config', () => {
    it('holds PUBLIC_URL (https in production) and the other settings, no secret', () => {
      const { data } = named('ConfigMap', 'accord-config');
      expect(data.PUBLIC_URL).toMatch(/^https:\/\//);
      expect(Object.keys(data).sort()).toEqual(
        ['HEALTH_SERVICES', 'LOG_LEVEL', 'MAIL_FROM', 'NATS_URL', 'OPS_PORT', 'PUBLIC_URL'].sort(),
      );
      expect(data.HEALTH_SERVICES.split(',').sort()).toEqual(SERVICES.map((app) => APPS[app]).sort());
    });

    it('is the only ConfigMap the apps read', () => {
      const refs = byKind('Deployment').flatMap((d) => d.spec.template.spec.containers.flatMap((c: Json) => c.envFrom));
      expect(new Set(refs.map((r: Json) => r.configMapRef?.name))).toEqual(new Set(['accord-config']));
    });
  });

  describe('Secret template k8s/base/secret.template.yaml', () => {
    const document = parseDocument(readFileSync(SECRET_TEMPLATE, 'utf8'));
    const template = document.toJS() as K8sObject & { stringData: Record<string, string> };
    const keys = Object.keys(template.stringData);

    it('is a valid Secret accord-secrets, left out of the kustomization', () => {
      expect(validateK8sObject(template)).toEqual([]);
      expect(template.metadata.name).toBe(SECRET);
      expect(readFileSync(join(ROOT, 'k8s/base/kustomization.yaml'), 'utf8')).not.toMatch(/^\s*-\s*secret\.template/m);
    });

    it('names every secret: the JWT, link and audit keys, DATABASE_URL, SMTP_URL and each NATS user’s password', () => {
      const natsPasswords = [...natsUsers(NATS_CONF).values()];
      expect(natsPasswords).toHaveLength(7);
      expect(keys.sort()).toEqual(
        ['JWT_SECRET', 'INVITATION_LINK_KEY', 'AUDIT_SIGNING_KEY', 'DATABASE_URL', 'SMTP_URL', ...natsPasswords].sort(),
      );
    });

    it('documents every key with a comment, and holds placeholders only', () => {
      const stringData = document.get('stringData');
      if (!isMap(stringData)) throw new Error('stringData is not a mapping');
      // The yaml parser hangs the first key's comment on the mapping itself.
      const comment = (pair: (typeof stringData.items)[number], index: number) =>
        (isScalar(pair.key) ? pair.key.commentBefore : undefined) ??
        (index === 0 ? stringData.commentBefore : undefined);
      const undocumented = stringData.items
        .filter((pair, index) => !comment(pair, index)?.trim())
        .map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key));
      expect(undocumented).toEqual([]);
      expect(Object.values(template.stringData).every((value) => value.includes('REPLACE-ME'))).toBe(true);
    });

    it('every secretKeyRef of the rendered overlay resolves to a key of the template, and every key is used', () => {
      const refs = new Set(objects.flatMap(secretRefs));
      expect([...refs].filter((ref) => !keys.includes(ref.replace(`${SECRET}/`, '')))).toEqual([]);
      expect(keys.filter((key) => !refs.has(`${SECRET}/${key}`))).toEqual([]);
    });
  });

  describe('NATS', () => {
    const nats = named('StatefulSet', 'accord-nats');

    it('runs with deploy/nats/nats-server.conf, embedded unchanged in ConfigMap accord-nats-config', () => {
      expect(named('ConfigMap', 'accord-nats-config').data['nats-server.conf']).toBe(NATS_CONF);
      const volume = nats.spec.template.spec.volumes.find((v: Json) => v.configMap?.name === 'accord-nats-config');
      const mount = nats.spec.template.spec.containers[0].volumeMounts.find((m: Json) => m.name === volume.name);
      expect(mount.mountPath).toBe('/etc/nats');
      expect(nats.spec.template.spec.containers[0].args[0]).toContain(
        'nats-server -c /etc/nats/nats-server.conf -sd /data',
      );
    });

    it('keeps JetStream on a persistent volume at /data', () => {
      const mount = nats.spec.template.spec.containers[0].volumeMounts.find((m: Json) => m.mountPath === '/data');
      expect(nats.spec.volumeClaimTemplates.map((c: Json) => c.metadata.name)).toEqual([mount.name]);
    });

    it('gets every password variable its configuration reads, from Secret accord-secrets', () => {
      const env = nats.spec.template.spec.containers[0].env as Json[];
      expect(env.map((e) => e.name).sort()).toEqual([...natsUsers(NATS_CONF).values()].sort());
      expect(
        env.every((e) => e.valueFrom.secretKeyRef.name === SECRET && e.valueFrom.secretKeyRef.key === e.name),
      ).toBe(true);
    });
  });

  describe('Services', () => {
    it.each([
      ['accord-gateway', 'gateway', 80],
      ['accord-nats', 'nats', 4222],
    ])('%s is a ClusterIP Service in front of the %s pods, on a port they declare', (name, app, port) => {
      const service = named('Service', name);
      expect(service.spec.type).toBe('ClusterIP');
      expect(selected({ matchLabels: service.spec.selector })).toEqual([app]);
      expect(service.spec.ports.map((p: Json) => p.port)).toEqual([port]);
      const workload = [...byKind('Deployment'), ...byKind('StatefulSet')].find(
        (w) => w.spec.template.metadata.labels['app.kubernetes.io/name'] === app,
      );
      const declared = workload.spec.template.spec.containers[0].ports.map((p: Json) => p.name);
      expect(declared).toContain(service.spec.ports[0].targetPort);
    });
  });

  it.each(Object.keys(APPS))('a PodDisruptionBudget keeps at least one %s pod up', (app) => {
    const budgets = byKind('PodDisruptionBudget').filter((b) => selected(b.spec.selector).includes(app));
    expect(budgets).toHaveLength(1);
    expect(budgets[0].spec.minAvailable).toBe(1);
    expect(selected(budgets[0].spec.selector)).toEqual([app]);
  });

  it('the HorizontalPodAutoscaler (autoscaling/v2) scales the gateway Deployment by CPU', () => {
    const [hpa, ...others] = byKind('HorizontalPodAutoscaler');
    expect(others).toEqual([]);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'accord-gateway' });
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    // Utilization is relative to the request: without one the HPA cannot scale.
    expect(container('gateway').resources.requests.cpu).toBeDefined();
  });

  describe('NetworkPolicies: only the gateway takes traffic from outside; services talk to NATS and PostgreSQL only', () => {
    const policies = byKind('NetworkPolicy');

    /** What the policies allow a pod, one `PROTO/port from|to peer` line per port; `everything` if none applies. */
    function allowed(direction: 'Ingress' | 'Egress', app: string): string[] {
      const labels = workloads.get(app)!;
      const applying = policies.filter(
        (p) => selects(p.spec.podSelector, labels) && (p.spec.policyTypes ?? ['Ingress']).includes(direction),
      );
      if (applying.length === 0) return ['everything'];
      const rules = applying.flatMap((p) => (direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []);
      return rules
        .flatMap((rule: Json) => {
          const peers: Json[] = (direction === 'Ingress' ? rule.from : rule.to) ?? [];
          const peer =
            peers.length === 0
              ? 'anywhere'
              : peers.some((p) => p.namespaceSelector || p.ipBlock)
                ? 'elsewhere'
                : peers.some((p) => Object.keys(p.podSelector).length === 0)
                  ? 'this namespace'
                  : [...new Set(peers.flatMap((p) => selected(p.podSelector)))].sort().join(', ');
          return (rule.ports ?? [{ port: 'any port' }]).map(
            (p: Json) => `${p.protocol ?? 'TCP'}/${p.port} ${direction === 'Ingress' ? 'from' : 'to'} ${peer}`,
          );
        })
        .sort();
    }

    it('deny every pod all ingress and egress by default', () => {
      const deny = policies.filter(
        (p) => Object.keys(p.spec.podSelector).length === 0 && !p.spec.ingress && !p.spec.egress,
      );
      expect(deny.map((p) => p.spec.policyTypes.sort())).toEqual([['Egress', 'Ingress']]);
    });

    it('admit only the gateway’s HTTP port from anywhere; the services’ ops port from this namespace; NATS from Accord’s apps', () => {
      expect(Object.fromEntries([...workloads.keys()].map((app) => [app, allowed('Ingress', app)]))).toEqual({
        gateway: ['TCP/3000 from anywhere'],
        'membership-service': ['TCP/9464 from this namespace'],
        'invitation-service': ['TCP/9464 from this namespace'],
        'api-token-service': ['TCP/9464 from this namespace'],
        'notification-service': ['TCP/9464 from this namespace'],
        nats: [
          'TCP/4222 from api-token-service, gateway, invitation-service, membership-service, notification-service',
        ],
      });
    });

    it('let the apps reach DNS, NATS and PostgreSQL only, the notification service SMTP and https too, and NATS DNS only', () => {
      const apps = ['TCP/4222 to nats', 'TCP/53 to anywhere', 'TCP/5432 to anywhere', 'UDP/53 to anywhere'];
      const smtp = ['TCP/25 to anywhere', 'TCP/443 to anywhere', 'TCP/465 to anywhere', 'TCP/587 to anywhere'];
      expect(Object.fromEntries([...workloads.keys()].map((app) => [app, allowed('Egress', app)]))).toEqual({
        gateway: apps,
        'membership-service': apps,
        'invitation-service': apps,
        'api-token-service': apps,
        'notification-service': [...apps, ...smtp].sort(),
        nats: ['TCP/53 to anywhere', 'UDP/53 to anywhere'],
      });
    });
  });
});

describe('kustomize-lite, the renderer itself', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const kustomization = (fields: string) =>
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${fields}`;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kustomize-lite-'));
    write('base/kustomization.yaml', kustomization('resources: [app.yaml]\n'));
    write(
      'base/app.yaml',
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: { name: app }',
        'spec:',
        '  replicas: 1',
        '  selector: { matchLabels: { app: app } }',
        '  template:',
        '    metadata: { labels: { app: app } }',
        '    spec:',
        '      containers:',
        '        - name: main',
        '          image: accord',
        '          args: [a]',
        '          env: [{ name: A, value: "1" }, { name: B, value: "2" }]',
        '        - { name: side, image: "nats:2.10" }',
      ].join('\n'),
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('applies a strategic-merge patch by name (containers and env merged by name), then namespace, labels and images', () => {
    write(
      'overlay/kustomization.yaml',
      kustomization(
        [
          'resources: [../base]',
          'namespace: prod',
          'labels: [{ pairs: { tier: web }, includeTemplates: true }]',
          "images: [{ name: accord, newName: reg.example/accord, newTag: '1.2' }]",
          'patches: [{ path: patch.yaml }]',
        ].join('\n'),
      ),
    );
    write(
      'overlay/patch.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: main\n          env: [{ name: B, value: "9" }, { name: C, value: "3" }]\n',
    );
    const [app] = renderKustomization(join(root, 'overlay')) as Json[];
    expect(app.metadata).toEqual({ name: 'app', namespace: 'prod', labels: { tier: 'web' } });
    expect(app.spec.replicas).toBe(3);
    expect(app.spec.selector).toEqual({ matchLabels: { app: 'app' } });
    expect(app.spec.template.metadata.labels).toEqual({ app: 'app', tier: 'web' });
    expect(app.spec.template.spec.containers).toEqual([
      {
        name: 'main',
        image: 'reg.example/accord:1.2',
        args: ['a'],
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '9' },
          { name: 'C', value: '3' },
        ],
      },
      { name: 'side', image: 'nats:2.10' },
    ]);
  });

  it.each([
    ['a field it does not implement', 'resources: [../base]\ncommonLabels: { a: b }', /commonLabels/],
    ['a generator', 'resources: [../base]\nconfigMapGenerator: [{ name: x, literals: [a=b] }]', /configMapGenerator/],
    [
      'a patch with a target',
      'resources: [../base]\npatches: [{ path: p.yaml, target: { kind: Deployment } }]',
      /target/,
    ],
    [
      'labels on selectors',
      'resources: [../base]\nlabels: [{ pairs: { a: b }, includeSelectors: true }]',
      /includeSelectors/,
    ],
    [
      'an unquoted numeric tag',
      'resources: [../base]\nimages: [{ name: accord, newTag: 1.2 }]',
      /newTag must be a string/,
    ],
    ['a file outside its folder', 'resources: [../base/app.yaml]', /outside the kustomization/],
  ])('refuses %s', (_, fields, message) => {
    write('overlay/kustomization.yaml', kustomization(fields));
    write('overlay/p.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec: { replicas: 2 }\n');
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(KustomizeLiteError);
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(message);
  });

  it.each([
    [
      'matches no resource',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: other }\nspec: { replicas: 2 }',
      /matches 0/,
    ],
    ['is a JSON 6902 patch', '- { op: replace, path: /spec/replicas, value: 2 }', /JSON 6902/],
    [
      'replaces a list whose merge semantics it does not know',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec:\n  template:\n    spec:\n      containers: [{ name: main, args: [b] }]',
      /containers\[\]\.args/,
    ],
    [
      'uses a patch directive',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec: { $patch: delete }',
      /directive/,
    ],
  ])('refuses a patch that %s', (_, patch, message) => {
    write('overlay/kustomization.yaml', kustomization('resources: [../base]\npatches: [{ path: p.yaml }]'));
    write('overlay/p.yaml', patch);
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(message);
  });

  it('refuses a resource defined twice', () => {
    write('overlay/kustomization.yaml', kustomization('resources: [../base, ../base]'));
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(/defined twice/);
  });

  it('the schema validation reports a wrong type and a field the API does not know', () => {
    const [app] = renderKustomization(join(root, 'base')) as Json[];
    expect(validateK8sObject(app)).toEqual([]);
    app.spec.replicas = 'two';
    app.spec.template.spec.containers[0].readinesProbe = {};
    expect(validateK8sObject(app)).toEqual([
      'Deployment/app: data/spec/replicas must be integer',
      'Deployment/app: .spec.template.spec.containers[0].readinesProbe is not a field of the API',
    ]);
  });
});
