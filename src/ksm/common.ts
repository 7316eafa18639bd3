import { RxporterError } from '../errors';
import type { Labels, MetricFamily, Sample } from '../model/family';
import { KSM_RESOURCES, type KsmOptions, type KubeObject } from './types';

// Helpers shared by the kube-state-metrics stores (src/ksm/stores/*.ts). They follow
// kube-state-metrics' internal/store/utils.go, pkg/options/types.go (allowlist flags),
// pkg/optin/optin.go (opt-in list), pkg/metric_generator/generator.go (HELP prefixes) and
// k8s.io/apimachinery's resource.Quantity; the code is rxporter's own.

// ---------------------------------------------------------------------------------------------
// Allowlists (--metric-labels-allowlist, --metric-annotations-allowlist)
// ---------------------------------------------------------------------------------------------

/** An allowlist as KsmOptions holds it: resource (or '*' for every resource) -> keys or '*'. */
export type Allowlist = ReadonlyMap<string, readonly string[] | '*'>;

/** The most `*` one allow-listed key may hold (KSM's MaxPartialWildcardsPerLabel). */
export const MAX_PARTIAL_WILDCARDS = 1;

const allowlistError = (flag: string, text: string, why: string): RxporterError =>
  new RxporterError(
    'RXP_CONFIG',
    `${flag}: ${why} in ${JSON.stringify(text)}; expected resource=[key1,key2,...],resource2=[...] (e.g. pods=[app,team],namespaces=[*])`,
  );

/**
 * Returns the allowlist a `--metric-labels-allowlist` / `--metric-annotations-allowlist`
 * value describes, in kube-state-metrics' format `pods=[app,team],namespaces=[*]`:
 * resource -> the Kubernetes label (annotation) keys allowed, `'*'` when the list starts
 * with `*` (every key, as KSM). Keys may hold one partial wildcard (`app.kubernetes.io/*`).
 * The resource `*` applies its list to every resource and wins over the others (KSM's
 * builder). Spaces around names are ignored; `pods=[]` allows nothing; '' is empty.
 * Throws RxporterError RXP_CONFIG naming `flag` for a malformed value (missing `=[`, an
 * unclosed `[`, an empty resource name or key, text after `]`, more than one wildcard in a
 * key) or a resource rxporter does not serve (KSM_RESOURCES).
 */
export function parseAllowlist(text: string, flag = '--metric-labels-allowlist'): Map<string, readonly string[] | '*'> {
  const out = new Map<string, readonly string[] | '*'>();
  let rest = text.trim();
  while (rest.length > 0) {
    const eq = rest.indexOf('=');
    if (eq < 0) throw allowlistError(flag, text, `no "=[" after ${JSON.stringify(rest)}`);
    const resource = rest.slice(0, eq).trim();
    if (resource === '') throw allowlistError(flag, text, 'an empty resource name');
    if (/[[\],\s]/.test(resource)) throw allowlistError(flag, text, `a bad resource name ${JSON.stringify(resource)}`);
    if (resource !== '*' && !(KSM_RESOURCES as readonly string[]).includes(resource))
      throw new RxporterError(
        'RXP_CONFIG',
        `${flag}: unknown resource ${JSON.stringify(resource)} in ${JSON.stringify(text)}; available: ${KSM_RESOURCES.join(',')} or *`,
      );
    rest = rest.slice(eq + 1).trimStart();
    if (!rest.startsWith('[')) throw allowlistError(flag, text, `"${resource}=" not followed by "["`);
    const close = rest.indexOf(']');
    if (close < 0) throw allowlistError(flag, text, `an unclosed "[" after "${resource}="`);
    const inner = rest.slice(1, close);
    if (inner.includes('[') || inner.includes('=')) throw allowlistError(flag, text, `a stray "[" or "=" in the list of ${resource}`);
    const keys = inner.trim() === '' ? [] : inner.split(',').map((k) => k.trim());
    for (const k of keys) {
      if (k === '') throw allowlistError(flag, text, `an empty key in the list of ${resource}`);
      if (k.split('*').length - 1 > MAX_PARTIAL_WILDCARDS)
        throw allowlistError(flag, text, `more than ${MAX_PARTIAL_WILDCARDS} wildcard in the key ${JSON.stringify(k)}`);
    }
    if (out.has(resource)) throw allowlistError(flag, text, `${resource} given twice`);
    out.set(resource, keys[0] === '*' ? '*' : keys);
    rest = rest.slice(close + 1).trimStart();
    if (rest.length === 0) break;
    if (!rest.startsWith(',')) throw allowlistError(flag, text, `text after "]" of ${resource}: ${JSON.stringify(rest)}`);
    rest = rest.slice(1).trimStart();
    if (rest.length === 0) throw allowlistError(flag, text, 'a trailing ","');
  }
  return out;
}

/**
 * Returns the keys allow-listed for `resource` ('*' = all), the `*` resource's list when
 * there is one (it wins, as in KSM's builder), else undefined (nothing allow-listed).
 */
export function allowedKeys(list: Allowlist, resource: string): readonly string[] | '*' | undefined {
  return list.get('*') ?? list.get(resource);
}

// ---------------------------------------------------------------------------------------------
// Opt-in families (--metric-opt-in-list)
// ---------------------------------------------------------------------------------------------

/**
 * Returns the entries of a `--metric-opt-in-list` value: comma-separated, trimmed, empty
 * entries dropped. Each entry is a regular expression matched anywhere in a family name, as
 * KSM's pkg/optin does (`kube_pod_nodeselectors`, or `kube_pod_.*`). Throws RXP_CONFIG
 * naming the entry when one does not compile.
 */
export function parseOptInList(text: string, flag = '--metric-opt-in-list'): Set<string> {
  const out = new Set<string>();
  for (const raw of text.split(',')) {
    const e = raw.trim();
    if (e === '') continue;
    try {
      new RegExp(e);
    } catch (err) {
      throw new RxporterError('RXP_CONFIG', `${flag}: ${JSON.stringify(e)} is not a regular expression: ${(err as Error).message}`);
    }
    out.add(e);
  }
  return out;
}

const optInCache = new Map<string, RegExp | null>();

/** Returns true when an entry of `optIn` (a regular expression, unanchored) matches `family`. */
export function isOptedIn(family: string, optIn: ReadonlySet<string>): boolean {
  for (const e of optIn) {
    let re = optInCache.get(e);
    if (re === undefined) {
      try {
        re = new RegExp(e);
      } catch {
        re = null; // parseOptInList rejects these; a hand-built set just matches nothing
      }
      optInCache.set(e, re);
    }
    if (re !== null && re.test(family)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Label names (utils.go: SanitizeLabelName, lintLabelName, mapToPrometheusLabels)
// ---------------------------------------------------------------------------------------------

/** Returns `s` with every character outside [a-zA-Z0-9_] replaced by `_` ("nvidia.com/gpu" -> "nvidia_com_gpu"). */
export const sanitizeLabelName = (s: string): string => s.replace(/[^a-zA-Z0-9_]/g, '_');

/** Returns `s` in snake case as KSM lints label names: `_` before an upper case letter that follows [a-z0-9], all lower case. */
export const toSnakeCase = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * Returns the Prometheus label name KSM makes of a Kubernetes label or annotation key:
 * `prefix_` + the key sanitized and snake-cased ("label", "app.kubernetes.io/Name" ->
 * "label_app_kubernetes_io_name").
 */
export const promLabelName = (prefix: string, key: string): string => `${prefix}_${toSnakeCase(sanitizeLabelName(key))}`;

const byteCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Returns a Kubernetes string map as Prometheus labels named by promLabelName, keys taken
 * in byte order. Keys that map to the same name are kept apart as KSM does: the first keeps
 * the name until a second one arrives, then they become `name_conflict1` and
 * `name_conflict2`, further ones the next free `_conflictN`.
 */
export function toPromLabels(prefix: string, input: Readonly<Record<string, string>> | undefined): Record<string, string> {
  if (!input) return {};
  const keys = Object.keys(input).sort(byteCompare);
  const names: string[] = [];
  const values: string[] = [];
  const used = new Map<string, number>(); // name -> index in names
  const conflicts = new Map<string, number>(); // base name -> last suffix given
  const nextFree = (base: string, from: number): [string, number] => {
    let n = from;
    for (;;) {
      n++;
      const candidate = `${base}_conflict${n}`;
      if (!used.has(candidate)) return [candidate, n];
    }
  };
  for (const k of keys) {
    const base = promLabelName(prefix, k);
    let name = base;
    const seen = conflicts.get(base);
    if (seen !== undefined) {
      const [n, c] = nextFree(base, seen);
      name = n;
      conflicts.set(base, c);
    } else if (used.has(base)) {
      const idx = used.get(base) as number;
      const [renamed, c1] = nextFree(base, 0);
      used.delete(base);
      names[idx] = renamed;
      used.set(renamed, idx);
      const [n, c2] = nextFree(base, c1);
      name = n;
      conflicts.set(base, c2);
    }
    used.set(name, names.length);
    names.push(name);
    values.push(input[k]);
  }
  const out: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) out[names[i]] = values[i];
  return out;
}

const wildcardCache = new Map<string, RegExp>();

const wildcardRegExp = (pattern: string): RegExp => {
  let re = wildcardCache.get(pattern);
  if (!re) {
    const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    re = new RegExp(`^${pattern.split('*').map(quote).join('.*')}$`);
    wildcardCache.set(pattern, re);
  }
  return re;
};

/**
 * Returns the allow-listed entries of a Kubernetes label (annotation) map as Prometheus
 * labels (toPromLabels with `prefix` "label" or "annotation"): all of them for '*'; else
 * the exact keys listed and the keys a partial wildcard matches (`app.kubernetes.io/*`);
 * a `*` that is not first in the list and keys with more than one wildcard match nothing
 * (KSM's createPrometheusLabelKeysValues).
 */
export function allowlistedLabels(
  prefix: string,
  input: Readonly<Record<string, string>> | undefined,
  allow: readonly string[] | '*',
): Record<string, string> {
  if (!input) return {};
  if (allow === '*' || allow[0] === '*') return toPromLabels(prefix, input);
  const picked: Record<string, string> = {};
  for (const key of allow) {
    if (key === '*') continue;
    if (!key.includes('*')) {
      if (Object.prototype.hasOwnProperty.call(input, key)) picked[key] = input[key];
      continue;
    }
    if (key.split('*').length - 1 > MAX_PARTIAL_WILDCARDS) continue;
    const re = wildcardRegExp(key);
    for (const k of Object.keys(input)) if (re.test(k)) picked[k] = input[k];
  }
  return toPromLabels(prefix, picked);
}

// ---------------------------------------------------------------------------------------------
// Families (pkg/metric_generator: HELP prefixes, opt-in; metrics_writer: headers)
// ---------------------------------------------------------------------------------------------

/** Stability level of a KSM family: STABLE ones get `[STABLE] ` before their HELP. */
export type Stability = 'STABLE' | 'ALPHA';

/**
 * Returns the HELP text KSM writes for a family: `(Deprecated since V) ` before the help of
 * a deprecated family, then `[STABLE] ` before that for a stable one
 * (generator.go: NewFamilyGeneratorWithStability, generateHeader).
 */
export function ksmHelp(help: string, stability: Stability, deprecatedSince?: string): string {
  const h = deprecatedSince ? `(Deprecated since ${deprecatedSince}) ${help}` : help;
  return stability === 'STABLE' ? `[STABLE] ${h}` : h;
}

/** Returns one sample. */
export const sample = (labels: Labels, value: number): Sample => ({ labels, value });

/**
 * One family of a store, as KSM's FamilyGenerator: `samples` gives one object's samples
 * with only their own labels; buildFamilies puts the object's identifying labels first.
 */
export interface FamilySpec<T = KubeObject> {
  readonly name: string;
  /** KSM's help text without prefixes (ksmHelp adds them). */
  readonly help: string;
  readonly stability: Stability;
  /** 'gauge' unless given (KSM's info and stateset types are written as gauge in text). */
  readonly type?: 'gauge' | 'counter';
  readonly deprecatedSince?: string;
  /** Emitted only when --metric-opt-in-list matches the name. */
  readonly optIn?: boolean;
  samples(obj: T, o: KsmOptions): readonly Sample[];
}

/**
 * Returns the indexes of `ids` ordered as the text encoder orders series: by label values in
 * label-name order, ties (and ids with other label names) keeping their order. Families whose
 * own labels do not come between an object's identifying ones (kube_pod_created,
 * kube_pod_info, ...) are then emitted in the encoder's order and it does not sort them; an
 * informer's objects mostly arrive in that order already (the API server lists by namespace
 * and name), which the engine's merge sort takes in one pass.
 */
export function identityOrder(ids: readonly Labels[]): number[] {
  const order = ids.map((_, i) => i);
  if (ids.length < 2) return order;
  const names = Object.keys(ids[0]).sort(byteCompare);
  const same = (l: Labels): boolean => {
    let n = 0;
    for (const k in l) if (l[k] === undefined || !names.includes(k) || ++n > names.length) return false;
    return n === names.length;
  };
  if (!ids.every(same)) return order;
  return order.sort((a, b) => {
    for (const k of names) {
      const c = byteCompare(ids[a][k], ids[b][k]);
      if (c !== 0) return c;
    }
    return a - b;
  });
}

/**
 * Returns the families of `specs` for `objects` — nothing when there are no objects;
 * otherwise every family (HELP and TYPE even without samples, as KSM's metrics writer once
 * a store holds objects), opt-in families only when `o.optIn` matches them. Each sample's
 * labels are the object's `identity` labels (e.g. namespace, pod, uid) then its own; the
 * samples without labels of their own share the one identity object (Labels are read-only).
 */
export function buildFamilies<T extends KubeObject>(
  specs: readonly FamilySpec<T>[],
  objects: readonly T[],
  identity: (obj: T) => Labels,
  o: KsmOptions,
): MetricFamily[] {
  if (objects.length === 0) return [];
  const active = specs.filter((s) => !s.optIn || isOptedIn(s.name, o.optIn));
  const ids = objects.map(identity);
  const order = identityOrder(ids);
  return active.map((spec) => {
    const samples: Sample[] = [];
    for (const i of order) {
      const id = ids[i];
      for (const s of spec.samples(objects[i], o)) {
        let labels: Labels = id; // an unlabelled sample shares the object's identity labels
        // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a loop that stops at the first own label
        for (const _ in s.labels) {
          labels = Object.assign({}, id, s.labels);
          break;
        }
        samples.push({ labels, value: s.value });
      }
    }
    return { name: spec.name, help: ksmHelp(spec.help, spec.stability, spec.deprecatedSince), type: spec.type ?? 'gauge', samples };
  });
}

/**
 * Returns the specs of `kube_<kind>_annotations` and `kube_<kind>_labels` for `resource`:
 * one sample per object with its allow-listed annotations (labels) as `annotation_*`
 * (`label_*`) labels, and no samples when nothing is allow-listed for the resource (the
 * default). Labels are STABLE and annotations ALPHA unless `annotationsStable` (statefulsets).
 */
export function metadataFamilySpecs<T extends KubeObject>(
  kind: string,
  resource: string,
  annotationsStable = false,
): [FamilySpec<T>, FamilySpec<T>] {
  const of = (list: 'annotationsAllowlist' | 'labelsAllowlist', prefix: string, field: 'annotations' | 'labels') =>
    (obj: T, o: KsmOptions): readonly Sample[] => {
      const allow = allowedKeys(o[list], resource);
      if (allow === undefined || (allow !== '*' && allow.length === 0)) return [];
      return [sample(allowlistedLabels(prefix, obj.metadata[field], allow), 1)];
    };
  return [
    {
      name: `kube_${kind}_annotations`,
      help: 'Kubernetes annotations converted to Prometheus labels.',
      stability: annotationsStable ? 'STABLE' : 'ALPHA',
      samples: of('annotationsAllowlist', 'annotation', 'annotations'),
    },
    {
      name: `kube_${kind}_labels`,
      help: 'Kubernetes labels converted to Prometheus labels.',
      stability: 'STABLE',
      samples: of('labelsAllowlist', 'label', 'labels'),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Values: booleans, conditions, times
// ---------------------------------------------------------------------------------------------

/* eslint-disable @typescript-eslint/no-explicit-any -- readers of the API's untyped JSON */
/** Returns `v` when it is an array (a JSON list field), else [] (absent, null or garbled). */
export const asArray = (v: unknown): any[] => (Array.isArray(v) ? v : []);
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Returns `v` when it is a string, else '' (Go's zero value for an absent string field). */
export const asString = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Returns 1 for true, 0 otherwise. */
export const boolValue = (b: unknown): number => (b === true ? 1 : 0);

/** The condition statuses KSM writes a series for, with their label values. */
export const CONDITION_STATUSES = [
  ['True', 'true'],
  ['False', 'false'],
  ['Unknown', 'unknown'],
] as const;

/**
 * Returns KSM's three series for a condition status ("True", "False", "Unknown"): label
 * `label` = true / false / unknown, 1 on the one that matches `status` (none for any other
 * value), each with `extra` labels first (utils.go addConditionMetrics).
 */
export function conditionSamples(status: unknown, label: string, extra: Labels = {}): Sample[] {
  return CONDITION_STATUSES.map(([s, v]) => sample({ ...extra, [label]: v }, status === s ? 1 : 0));
}

/** Entries a parse cache keeps before it starts over (objects repeat a few times and quantities often). */
const MEMO_LIMIT = 8192;

/** Returns `f()` for `key` from `cache`, computing it once; the cache is emptied when full. */
function memo<T>(cache: Map<string, T>, key: string, f: () => T): T {
  if (cache.has(key)) return cache.get(key) as T;
  const v = f();
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, v);
  return v;
}

const timeCache = new Map<string, number | undefined>();

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Returns an RFC 3339 time ("2017-08-01T06:30:18Z", fractions and offsets allowed) as
 * whole unix seconds, rounded down as Go's Time.Unix. Throws RXP_PROC_PARSE when `s` is
 * not such a time.
 */
export function parseTimeSeconds(s: string): number {
  const m = RFC3339.exec(s);
  const ms = m ? Date.parse(s.replace(' ', 'T')) : NaN;
  if (!m || Number.isNaN(ms)) throw new RxporterError('RXP_PROC_PARSE', `time: ${JSON.stringify(s)} is not an RFC 3339 time`);
  return Math.floor(ms / 1000);
}

/** Go's zero time.Time as unix seconds (0001-01-01T00:00:00Z): what KSM writes for a time left unset inside a set struct. */
export const GO_ZERO_TIME_SECONDS = -62135596800;

/**
 * Returns a metav1.Time field that KSM reads without a nil check (a container's
 * startedAt, a condition's lastTransitionTime) as unix seconds: GO_ZERO_TIME_SECONDS when
 * it is absent or not a time, as Go's zero time.
 */
export const timeOrZero = (s: unknown): number => timeSeconds(s) ?? GO_ZERO_TIME_SECONDS;

/**
 * Returns a metav1.Time field KSM reads with an IsZero check (creationTimestamp,
 * deletionTimestamp) as unix seconds, or undefined when absent, invalid or Go's zero time.
 */
export const nonZeroTimeSeconds = (s: unknown): number | undefined => {
  const t = timeSeconds(s);
  return t === GO_ZERO_TIME_SECONDS ? undefined : t;
};

/**
 * Returns a metav1.Time field as unix seconds, or undefined when it is absent (null, '')
 * or not a valid time — the store then omits the sample, as KSM does for a zero time.
 */
export function timeSeconds(s: unknown): number | undefined {
  if (typeof s !== 'string' || s === '') return undefined;
  return memo(timeCache, s, () => {
    try {
      return parseTimeSeconds(s);
    } catch {
      return undefined;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// resource.Quantity (k8s.io/apimachinery/pkg/api/resource/quantity.go)
// ---------------------------------------------------------------------------------------------

const NANO = 10n ** 9n;
/** The largest magnitude a Quantity holds (2^63 - 1); larger values are capped to it. */
const MAX_QUANTITY_NANOS = (2n ** 63n - 1n) * NANO;
/** resource.MaxMilliValue: above this Value() a milli value would overflow int64. */
const MAX_MILLI_VALUE = (2n ** 63n - 1n) / 1000n;

const BINARY: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** Returns a / b rounded away from zero (b > 0). */
const divAway = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return q * b === a ? q : a < 0n ? q - 1n : q + 1n;
};

/**
 * Returns a Kubernetes quantity ("100m", "1.5Gi", "129e6", "2") in nano units (a BigInt,
 * exact): its value × 10⁹ rounded away from zero to a whole nano and capped at
 * ±(2⁶³−1) units, as resource.ParseQuantity stores it. Suffixes: n u m k M G T P E
 * (decimal), Ki Mi Gi Ti Pi Ei (binary), e/E followed by a signed exponent. Throws
 * RXP_PROC_PARSE for anything else.
 */
export function parseQuantityNanos(s: string): bigint {
  const m = QUANTITY.exec(s);
  const bad = () => new RxporterError('RXP_PROC_PARSE', `quantity: ${JSON.stringify(s)} is not a Kubernetes quantity (e.g. 100m, 1.5Gi, 129e6)`);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw bad();
  const [, sign, whole, frac = '', suffix] = m;
  let num = BigInt(whole + frac || '0'); // value = num / 10^frac.length
  let den = 10n ** BigInt(frac.length);
  if (Object.hasOwn(BINARY, suffix)) num *= 2n ** BigInt(BINARY[suffix]);
  else {
    let exp: number;
    if (Object.hasOwn(DECIMAL, suffix)) exp = DECIMAL[suffix];
    else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) exp = Number(suffix.slice(1));
    else throw bad();
    // Beyond ±40 the result is the cap or the smallest nano either way; keep the BigInts small.
    if (exp > 40) exp = 40;
    if (exp < -40) exp = -40;
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  }
  let nanos = divAway(num * NANO, den);
  if (nanos > MAX_QUANTITY_NANOS) nanos = MAX_QUANTITY_NANOS;
  return sign === '-' ? -nanos : nanos;
}

/** Returns Quantity.Value(): the quantity rounded away from zero to an integer ("100m" -> 1, "1Ki" -> 1024). */
export const quantityValue = (s: string): number => {
  const v = memo(valueCache, s, () => {
    try {
      return Number(divAway(parseQuantityNanos(s), NANO));
    } catch (e) {
      return e as RxporterError; // remembered too: a garbled quantity is as repetitive as a good one
    }
  });
  if (typeof v !== 'number') throw v;
  return v;
};

const valueCache = new Map<string, number | RxporterError>();
const floatCache = new Map<string, number | RxporterError>();

/**
 * Returns the quantity as KSM's convertValueToFloat64 does: MilliValue()/1000 (so "250m" ->
 * 0.25 cores, "1.0001m" -> 0.002), or Value() when that is beyond resource.MaxMilliValue.
 */
export function quantityFloat(s: string): number {
  const v = memo(floatCache, s, () => {
    try {
      const nanos = parseQuantityNanos(s);
      const value = divAway(nanos, NANO);
      if (value > MAX_MILLI_VALUE) return Number(value);
      return Number(divAway(nanos, 1_000_000n)) / 1000;
    } catch (e) {
      return e as RxporterError;
    }
  });
  if (typeof v !== 'number') throw v;
  return v;
}

// ---------------------------------------------------------------------------------------------
// Resource lists (requests, limits, capacity, allocatable)
// ---------------------------------------------------------------------------------------------

/** The unit label KSM gives a resource (pkg/constant/resource_unit.go). */
export type ResourceUnit = 'core' | 'byte' | 'integer';

/** Returns true for a `hugepages-*` resource. */
export const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
/** Returns true for an `attachable-volumes-*` resource. */
export const isAttachableVolumes = (name: string): boolean => name.startsWith('attachable-volumes-');
/** Returns true for a resource of Kubernetes itself: no domain, or a `kubernetes.io/` one. */
export const isNativeResource = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * Returns true for an extended resource ("nvidia.com/gpu"): not native, not `requests.*`,
 * and `requests.<name>` a qualified name (DNS subdomain prefix ≤ 253, name ≤ 63;
 * k8s.io/apimachinery validation.IsQualifiedName).
 */
export function isExtendedResource(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  const q = `requests.${name}`;
  const parts = q.split('/');
  if (parts.length !== 2) return false;
  const [prefix, local] = parts;
  return prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix) && local.length <= 63 && QUALIFIED_NAME.test(local);
}

/** One resource of a resource list as KSM labels it: sanitized `resource`, `unit`, value. */
export interface ResourceValue {
  readonly resource: string;
  readonly unit: ResourceUnit;
  readonly value: number;
}

/**
 * Returns the series KSM makes of a resource list (a container's requests or limits, a
 * node's capacity or allocatable), in the list's order: cpu in cores (quantityFloat);
 * memory, storage, ephemeral-storage, hugepages-* and attachable-volumes-* in bytes;
 * extended resources (nvidia.com/gpu -> nvidia_com_gpu) as integers; `pods` as an integer
 * only when `node`; other native resources are left out. Bytes and integers are
 * Value() for containers and quantityFloat for nodes, as KSM's pod and node stores differ.
 * A value that is not a quantity is left out (the rest of the list stays).
 */
export function resourceValues(list: Readonly<Record<string, unknown>> | undefined, node: boolean): ResourceValue[] {
  const out: ResourceValue[] = [];
  if (!list) return out;
  const whole = node ? quantityFloat : quantityValue;
  for (const [name, raw] of Object.entries(list)) {
    let unit: ResourceUnit | undefined;
    let conv = whole;
    if (name === 'cpu') {
      unit = 'core';
      conv = quantityFloat;
    } else if (name === 'memory' || name === 'storage' || name === 'ephemeral-storage') unit = 'byte';
    else if (name === 'pods') unit = node ? 'integer' : undefined;
    else if (isHugePages(name) || isAttachableVolumes(name)) unit = 'byte';
    else if (isExtendedResource(name)) unit = 'integer';
    if (unit === undefined || (typeof raw !== 'string' && typeof raw !== 'number')) continue;
    let value: number;
    try {
      value = conv(String(raw));
    } catch {
      continue;
    }
    out.push({ resource: sanitizeLabelName(name), unit, value });
  }
  return out;
}
