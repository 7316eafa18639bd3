import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NEVER, of, throwError, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { parseAllDocuments } from 'yaml';
import { startAgent } from '../../src/agent';
import type { Collector } from '../../src/collectors/types';
import { flagSpecs } from '../../src/config/flags';
import { loadConfig } from '../../src/config/load';
import { configSchema } from '../../src/config/schema';
import { KSM_RESOURCES } from '../../src/ksm/types';
import type { KubeClient } from '../../src/kube/client';
import { createInformer } from '../../src/kube/informer';
import { leaderElection, type Lease } from '../../src/kube/leaderElection';
import { leaseApi } from '../../src/kube/leaderRole';
import { KUBE_RESOURCES, type ResourceRef } from '../../src/kube/resources';
import { startKubeApiServer } from '../support/kubeApiServer';
import { writeKubeconfig } from '../support/kubeconfig';
import { repoRoot } from '../support/paths';
import { poll } from '../support/servers';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = any;

const deploy = (...p: string[]) => join(repoRoot(), 'deploy', ...p);
const docs: Doc[] = readdirSync(deploy('kubernetes'))
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) =>
    parseAllDocuments(readFileSync(deploy('kubernetes', f), 'utf8')).map((d) => {
      expect([f, d.errors]).toEqual([f, []]);
      return d.toJS();
    }),
  );
const one = (kind: string, name: string): Doc => {
  const d = docs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!d) throw new Error(`no ${kind} ${name} in deploy/kubernetes`);
  return d;
};
const workloads = () => docs.filter((d) => d.kind === 'DaemonSet' || d.kind === 'Deployment');
const containerOf = (w: Doc) => w.spec.template.spec.containers[0];
const version = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')).version as string;
const flags = flagSpecs(configSchema());
/** Returns a flag argument's name and value: "--a.b=c" -> ["a.b", "c"]. */
const flagOf = (arg: string): [string, string | undefined] => {
  const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
  if (!m) throw new Error(`not a flag: ${arg}`);
  return [m[1], m[2]];
};
const argValue = (args: string[], name: string) => args.map(flagOf).find(([n]) => n === name)?.[1];

/**
 * Returns the verbs the code calls per "group/resource", recorded on a fake client: an informer
 * of each ksm resource (its LIST and WATCH) and a whole election (acquire, renew, release).
 */
function codeVerbs(): { informers: Map<string, Set<string>>; lease: Map<string, Set<string>> } {
  const calls = new Map<string, Set<string>>();
  const record = (verb: string, r: ResourceRef) => {
    const key = `${r.group}/${r.plural}`;
    if (!calls.has(key)) calls.set(key, new Set());
    calls.get(key)!.add(verb);
  };
  let stored: Lease | undefined;
  const store = (l: Lease) => (stored = { ...l, metadata: { ...l.metadata, resourceVersion: String(Number(stored?.metadata.resourceVersion ?? 0) + 1) } });
  const client = {
    get: (r: ResourceRef) => (record('get', r), stored ? of(stored) : throwError(() => ({ status: 404 }))),
    create: (r: ResourceRef, o: Lease) => (record('create', r), of(store(o))),
    update: (r: ResourceRef, o: Lease) => (record('update', r), of(store(o))),
    list: (r: ResourceRef) => (record('list', r), of({ metadata: { resourceVersion: '1' }, items: [] })),
    watch: (r: ResourceRef) => (record('watch', r), NEVER),
    delete: (r: ResourceRef) => (record('delete', r), NEVER),
  } as unknown as KubeClient;
  const sch = new TestScheduler((a, b) => expect(a).toEqual(b));
  sch.run(() => {
    for (const r of KSM_RESOURCES) {
      const sub = createInformer({ client, resource: KUBE_RESOURCES[r], scheduler: sch, random: () => 0 }).run$.subscribe();
      sch.schedule(() => sub.unsubscribe(), 5000);
    }
  });
  const informers = new Map(calls);
  calls.clear();
  const sch2 = new TestScheduler((a, b) => expect(a).toEqual(b));
  sch2.run(({ cold, expectObservable }) => {
    const stop$: Observable<string> = cold('10s s');
    const api = leaseApi(client, 'monitoring', 'rxporter-ksm');
    const run$ = leaderElection({ api, lease: { namespace: 'monitoring', name: 'rxporter-ksm' }, identity: 'a', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000, stop$, scheduler: sch2 });
    expectObservable(run$).toBe('(ft) 9996ms (f|)', { t: true, f: false });
  });
  return { informers, lease: calls };
}

describe('deploy/kubernetes', () => {
  it('every image is rxporter at the version of package.json', () => {
    expect(workloads().length).toBeGreaterThanOrEqual(2);
    for (const w of workloads()) for (const c of w.spec.template.spec.containers) expect([w.metadata.name, c.image]).toEqual([w.metadata.name, `rxporter/rxporter:${version}`]);
  });

  it("passes only flags of the config schema, with values loadConfig accepts", () => {
    for (const w of workloads()) {
      const args: string[] = containerOf(w).args;
      for (const a of args) expect([w.metadata.name, a, flags.has(flagOf(a)[0])]).toEqual([w.metadata.name, a, true]);
      expect(() => loadConfig({ args })).not.toThrow();
    }
  });

  it('the DaemonSet mounts the host /proc, /sys and / read-only where its --path.* flags point, with hostPID and hostNetwork', () => {
    const ds = one('DaemonSet', 'rxporter-node');
    const pod = ds.spec.template.spec;
    expect(pod).toMatchObject({ hostPID: true, hostNetwork: true, automountServiceAccountToken: false });
    const c = containerOf(ds);
    for (const [flag, hostPath] of [['path.procfs', '/proc'], ['path.sysfs', '/sys'], ['path.rootfs', '/']]) {
      const at = argValue(c.args, flag);
      const mount = c.volumeMounts.find((m: Doc) => m.mountPath === at);
      expect([flag, mount?.readOnly]).toEqual([flag, true]);
      expect(pod.volumes.find((v: Doc) => v.name === mount.name).hostPath.path).toBe(hostPath);
    }
    expect(c.env).toContainEqual({ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } });
    expect(argValue(c.args, 'collector.container.pod-info-url')).toMatch(/^http:\/\/rxporter-ksm\.monitoring\.svc:9100\/v1\/ksm\/getPodInfoByNodeName$/);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
  });

  it('the KSM Deployment runs two replicas electing a leader, identity and namespace from the downward API', () => {
    const d = one('Deployment', 'rxporter-ksm');
    expect(d.spec.replicas).toBe(2);
    const c = containerOf(d);
    expect(c.args).toContain('--kube.leader-elect');
    expect(c.env).toEqual(
      expect.arrayContaining([
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      ]),
    );
    const svc = one('Service', 'rxporter-ksm');
    expect(svc.spec.selector).toEqual(d.spec.selector.matchLabels);
    expect(svc.metadata.namespace).toBe(d.metadata.namespace);
  });

  it('RBAC grants the verbs the code calls and no more: list/watch of the ksm resources, get/create/update of its Lease in its namespace', () => {
    const sa = one('ServiceAccount', 'rxporter-ksm');
    expect(one('Deployment', 'rxporter-ksm').spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
    const granted = (rules: Doc[]) => {
      const m = new Map<string, Set<string>>();
      for (const r of rules) for (const g of r.apiGroups) for (const res of r.resources) m.set(`${g}/${res}`, new Set(r.verbs));
      return m;
    };
    const code = codeVerbs();
    expect(code.informers.size).toBe(KSM_RESOURCES.length);
    expect(granted(one('ClusterRole', 'rxporter-ksm').rules)).toEqual(code.informers);
    const role = one('Role', 'rxporter-ksm-leader-election');
    expect(role.metadata.namespace).toBe(sa.metadata.namespace);
    expect(granted(role.rules)).toEqual(code.lease);
    for (const [kind, name, roleKind] of [['ClusterRoleBinding', 'rxporter-ksm', 'ClusterRole'], ['RoleBinding', 'rxporter-ksm-leader-election', 'Role']]) {
      const b = one(kind, name);
      expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name });
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
    }
  });

  it("probes ask paths the agent's server answers 200 (the KSM replicas' readiness once the cache is synced), on the port it listens on", async () => {
    const idle: Collector = { name: 'idle', defaultEnabled: true, collect: () => of() };
    const kube = await startKubeApiServer();
    const dir = mkdtempSync(join(tmpdir(), 'rxp-deploy-'));
    try {
      for (const w of workloads()) {
        const c = containerOf(w);
        const port = Number(argValue(c.args, 'web.listen-address')!.split(':').pop());
        expect(c.ports.find((p: Doc) => p.containerPort === port)).toBeDefined();
        // The KSM replicas run their real ksm collector on the fixture API server; node agents an idle collector.
        const ksm = c.args.includes('--collector.ksm');
        const args = c.args.filter((a: string) => !/^--(web\.listen-address|push\.|kube\.)/.test(a));
        const config = loadConfig({ args: [...args, '--web.listen-address=127.0.0.1:0', ...(ksm ? ['--kube.config', writeKubeconfig(dir, kube.url)] : [])] });
        const served = await startAgent({ config, collectors: ksm ? undefined : [idle] });
        try {
          for (const probe of [c.livenessProbe, c.readinessProbe]) {
            const p = probe.httpGet.port;
            expect(typeof p === 'number' ? p : c.ports.find((x: Doc) => x.name === p)?.containerPort).toBe(port);
            const status = () => fetch(`http://127.0.0.1:${served.port}${probe.httpGet.path}`).then((r) => r.status);
            await poll(async () => ((await status()) === 200 ? true : undefined), 10_000, `${w.metadata.name} ${probe.httpGet.path} 200`);
          }
        } finally {
          await served.agent.stop(500);
          await new Promise((r) => served.server.close(r));
        }
      }
    } finally {
      await kube.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/systemd and deploy/Dockerfile', () => {
  it('the unit starts the built CLI with real flags, hardened', () => {
    const unit = readFileSync(deploy('systemd', 'rxporter.service'), 'utf8');
    const exec = /^ExecStart=(.*)$/m.exec(unit)![1].split(/\s+/);
    expect(exec[exec.findIndex((a) => a.endsWith('.js'))]).toMatch(/\/dist\/src\/cli\/main\.js$/);
    for (const a of exec.filter((x) => x.startsWith('--') && x.includes('.') && !x.startsWith('--max-') && !x.startsWith('--heap-'))) expect([a, flags.has(flagOf(a)[0])]).toEqual([a, true]);
    for (const k of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=read-only', 'PrivateTmp=yes', 'CapabilityBoundingSet=', 'DynamicUser=yes', 'StateDirectory=rxporter']) {
      expect(unit.split('\n')).toContain(k);
    }
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=yes/m); // V8's JIT
    // The timex collector (on by default) calls clock_adjtime(2): neither ProtectClock nor a filter may forbid it.
    expect(unit).not.toMatch(/^ProtectClock=yes/m);
    const allowed = unit.split('\n').filter((l) => l.startsWith('SystemCallFilter=') && !l.startsWith('SystemCallFilter=~'));
    expect(allowed.join(' ')).toContain('@clock');
    expect(unit).not.toMatch(/^SystemCallFilter=~.*(@privileged|@clock)/m);
    expect(unit.split('\n')).toContain('SystemCallErrorNumber=EPERM');
  });

  it('every manifest names a namespace that a manifest creates', () => {
    const created = new Set(docs.filter((d) => d.kind === 'Namespace').map((d) => d.metadata.name));
    for (const d of docs.filter((x) => x.metadata.namespace)) expect([d.kind, d.metadata.name, created.has(d.metadata.namespace!)]).toEqual([d.kind, d.metadata.name, true]);
  });

  it('the Dockerfile builds in one stage and runs the build as a non-root user in another', () => {
    const df = readFileSync(deploy('Dockerfile'), 'utf8');
    const stages = df.split(/^FROM /m).slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const last = stages[stages.length - 1];
    expect(last).toMatch(/^COPY --from=build .*dist/m);
    const user = /^USER (\S+)/m.exec(last)?.[1];
    expect(user).toBeDefined();
    expect(user!.split(':')[0]).not.toMatch(/^(0|root)$/);
    expect(/^ENTRYPOINT (.*)$/m.exec(last)![1]).toContain('dist/src/cli/main.js');
    // The image serves the status page: its files ship beside dist.
    expect(last).toMatch(/^COPY (--from=build \S+\/)?web \.\/web$/m);
    // The build stage has every file the build's sources import from outside src/ (bench imports test/support).
    const build = stages[0];
    const included = (JSON.parse(readFileSync(join(repoRoot(), 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;
    const copied = [...build.matchAll(/^COPY (\S+) /gm)].map((m) => m[1]);
    for (const dir of included) expect(copied).toContain(dir);
    const outside = new Set<string>();
    for (const dir of ['bench', 'tools'])
      for (const f of readdirSync(join(repoRoot(), dir)).filter((x) => x.endsWith('.ts')))
        for (const m of readFileSync(join(repoRoot(), dir, f), 'utf8').matchAll(/from '\.\.\/(test\/[^/']+)/g)) outside.add(m[1]);
    for (const dir of outside) expect(copied).toContain(dir);
  });
});
