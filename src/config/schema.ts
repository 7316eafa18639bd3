import { hostname } from 'node:os';
import convict from 'convict';
import { collectorDefinitions } from '../collectors';
import { isDuration } from './duration';
import { exporterSchema } from './exporterSchema';
import { kubeSchema } from './kubeSchema';
import { MAX_DURATION, type Range } from './ranges';

let formatsAdded = false;

/** Registers rxporter's convict formats once per process. */
export function addFormats(): void {
  if (formatsAdded) return;
  formatsAdded = true;
  convict.addFormat({
    name: 'duration',
    validate: (v: unknown) => {
      if (!isDuration(v)) throw new Error('must be a duration such as 30s, 1m30s or 500ms');
    },
  });
  convict.addFormat({
    name: 'count',
    validate: (v: unknown) => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new Error('must be a whole number (0, 1, 2, …)');
    },
    // Strict, unlike convict's "nat" (parseInt): "10MB" or "three" stays a string and is refused with its value.
    coerce: (v: string) => (/^\d+$/.test(v) ? Number(v) : v),
  });
  convict.addFormat({
    name: 'listen-address',
    validate: (v: unknown) => {
      const m = typeof v === 'string' ? /^(.*):(\d{1,5})$/.exec(v) : null;
      if (!m || Number(m[2]) > 65535) throw new Error('must be HOST:PORT, e.g. 127.0.0.1:9100 or :9100');
    },
  });
  convict.addFormat({
    name: 'regexp-source',
    validate: (v: unknown) => {
      if (typeof v !== 'string') throw new Error('must be a regular expression string');
      try {
        new RegExp(v);
      } catch (e) {
        throw new Error(`must be a valid regular expression (${(e as Error).message})`);
      }
    },
  });
  convict.addFormat({
    name: 'optional-boolean',
    validate: (v: unknown) => {
      if (v !== null && typeof v !== 'boolean') throw new Error('must be true or false');
    },
    coerce: (v: string) => (v === 'true' ? true : v === 'false' ? false : v),
  });
  convict.addFormat({
    name: 'bool',
    validate: (v: unknown) => {
      if (typeof v !== 'boolean') throw new Error('must be true or false');
    },
    coerce: (v: string) => (v === 'true' ? true : v === 'false' ? false : v),
  });
  convict.addFormat({
    name: 'string-list',
    validate: (v: unknown) => {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error('must be a list of strings');
    },
    // An environment value: comma-separated, or a JSON array when a value holds commas. (Flags
    // arrive as lists already: a list flag is repeated, each value kept whole; see flags.ts.)
    coerce: (v: string) => {
      if (v.trimStart().startsWith('[')) {
        try {
          return JSON.parse(v) as unknown;
        } catch {
          return v;
        }
      }
      return v === '' ? [] : v.split(',');
    },
  });
  convict.addFormat({
    name: 'string-map',
    validate: (v: unknown) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
        throw new Error('must be a map of label names to string values');
      }
    },
    coerce: (v: string) => {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return v;
      }
    },
  });
}

const str = (doc: string, def: string, env: string, arg?: string) => ({ doc, format: String, default: def, env, ...(arg ? { arg } : {}) });

/**
 * A duration key: a string such as "30s" in the file, milliseconds in the resolved config;
 * `range` bounds it at load (at most MAX_DURATION, which a timer keeps; 0ms..24d when omitted,
 * but every key should state its own: test/config/ranges.test.ts checks).
 */
export const dur = (doc: string, def: string, env: string, arg?: string, range?: readonly [string, string]) => ({
  doc,
  format: 'duration' as const,
  default: def,
  env,
  ...(range ? { range: range as Range } : {}),
  ...(arg ? { arg } : {}),
});

/** A count or size key (a whole number, "count" format) with its valid `range`, checked at load. */
export const count = (doc: string, def: number, env: string, arg: string | undefined, range: readonly [number, number]) => ({
  doc,
  format: 'count' as const,
  default: def,
  env,
  range: range as Range,
  ...(arg ? { arg } : {}),
});

/** A collector's on/off switch: null means "its default", which --collector.disable-defaults turns off. */
export const collectorSwitch = (name: string) => ({
  enabled: {
    doc: `Enable the ${name} collector (--no-collector.${name} disables it).`,
    format: 'optional-boolean',
    default: null as boolean | null,
    nullable: true,
    env: `RXPORTER_COLLECTOR_${envName(name)}`,
    arg: `collector.${name}`,
  },
});

const envName = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/** Returns one `collectors.<name>` section per registered collector: its switch and its options. */
function collectorSections(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const d of collectorDefinitions) {
    const opts: Record<string, unknown> = {};
    for (const [k, o] of Object.entries(d.options ?? {})) {
      opts[k] = {
        doc: o.doc,
        format: o.format,
        default: o.default,
        arg: o.arg,
        env: `RXPORTER_COLLECTOR_${envName(d.name)}_${envName(k)}`,
        ...(o.range ? { range: o.range } : {}),
      };
    }
    out[d.name] = { ...collectorSwitch(d.name), ...opts };
  }
  return out;
}

/** Returns the convict schema of rxporter's configuration. */
export function configSchema() {
  addFormats();
  return {
    global: {
      appName: str('Application name; the default Pushgateway job. Required.', '', 'RXPORTER_APP_NAME', 'global.app-name'),
      nodeName: str('Node name, the nodeName base label of pushed samples.', hostname(), 'NODE_NAME', 'global.node-name'),
      masterIp: str('Cluster master IP, the masterIp base label of pushed samples (may be empty).', '', 'MASTER_IP', 'global.master-ip'),
      labels: {
        doc: 'Extra base labels for pushed samples, e.g. {"dc":"fra1"}.',
        format: 'string-map',
        default: {} as Record<string, string>,
        env: 'RXPORTER_GLOBAL_LABELS',
      },
    },
    web: {
      listenAddress: { doc: 'Address for /metrics (HOST:PORT).', format: 'listen-address', default: '127.0.0.1:9100', env: 'RXPORTER_WEB_LISTEN_ADDRESS', arg: 'web.listen-address' },
      telemetryPath: str('Path under which to expose metrics.', '/metrics', 'RXPORTER_WEB_TELEMETRY_PATH', 'web.telemetry-path'),
      baseLabels: {
        doc: 'Add the base labels (nodeName, masterIp, global.labels) to /metrics too; off keeps the output identical to node_exporter.',
        format: 'bool',
        default: false,
        env: 'RXPORTER_WEB_BASE_LABELS',
        arg: 'web.base-labels',
      },
      configFile: str(
        "Web config file (Prometheus exporter-toolkit's format): TLS, client certificates, basic auth users (bcrypt), response headers. Re-read when it changes. Empty: plain HTTP, no auth.",
        '',
        'RXPORTER_WEB_CONFIG_FILE',
        'web.config.file',
      ),
      readHeaderTimeout: dur(
        'Time a client has to send the headers of a request (and, over TLS, to finish the handshake) before its connection is closed: the slow-loris guard.',
        '10s',
        'RXPORTER_WEB_READ_HEADER_TIMEOUT',
        'web.read-header-timeout',
        ['100ms', '10m'],
      ),
      requestTimeout: dur('Time a client has to send a whole request before its connection is closed.', '30s', 'RXPORTER_WEB_REQUEST_TIMEOUT', 'web.request-timeout', ['100ms', '1h']),
      idleTimeout: dur(
        'An idle keep-alive connection is closed after this long (30s keeps the connection of a 15s or 30s scrape interval, sparing a TLS handshake per scrape).',
        '30s',
        'RXPORTER_WEB_IDLE_TIMEOUT',
        'web.idle-timeout',
        ['100ms', '1h'],
      ),
    },
    path: {
      procfs: str('procfs mountpoint.', '/proc', 'RXPORTER_PATH_PROCFS', 'path.procfs'),
      sysfs: str('sysfs mountpoint.', '/sys', 'RXPORTER_PATH_SYSFS', 'path.sysfs'),
      rootfs: str('rootfs mountpoint.', '/', 'RXPORTER_PATH_ROOTFS', 'path.rootfs'),
      udevData: str('udev data path.', '/run/udev/data', 'RXPORTER_PATH_UDEV_DATA', 'path.udev.data'),
    },
    collect: {
      interval: dur('Collection period.', '30s', 'RXPORTER_COLLECT_INTERVAL', 'collect.interval', ['1s', MAX_DURATION]),
      timeout: dur('Per-collector timeout.', '10s', 'RXPORTER_COLLECT_TIMEOUT', 'collect.timeout', ['10ms', MAX_DURATION]),
      maxAbandonedWorkers: count(
        'Collector worker threads stuck in the kernel (a hung read or statfs) that are abandoned and replaced at most; past it the collectors of a stuck worker stay failed until an abandoned one returns.',
        4,
        'RXPORTER_COLLECT_MAX_ABANDONED_WORKERS',
        'collect.max-abandoned-workers',
        [0, 64],
      ),
    },
    log: {
      level: { doc: 'Log level.', format: ['error', 'warn', 'info', 'debug'], default: 'info', env: 'RXPORTER_LOG_LEVEL', arg: 'log.level' },
      format: { doc: 'Log format.', format: ['logfmt', 'json'], default: 'logfmt', env: 'RXPORTER_LOG_FORMAT', arg: 'log.format' },
    },
    collectors: {
      disableDefaults: {
        doc: 'Disable every collector not enabled explicitly.',
        format: 'bool',
        default: false,
        env: 'RXPORTER_COLLECTOR_DISABLE_DEFAULTS',
        arg: 'collector.disable-defaults',
      },
      enabled: {
        doc: 'Collectors to enable, as a list (the same as --collector.<name> for each).',
        format: 'string-list',
        default: [] as string[],
        env: 'RXPORTER_COLLECTORS_ENABLED',
      },
      disabled: {
        doc: 'Collectors to disable, as a list (the same as --no-collector.<name> for each).',
        format: 'string-list',
        default: [] as string[],
        env: 'RXPORTER_COLLECTORS_DISABLED',
      },
      node: {
        enabled: {
          doc: 'Switch for the whole node group (node_exporter\'s collectors): false runs none of them unless one is enabled by name.',
          format: 'bool',
          default: true,
          env: 'RXPORTER_COLLECTORS_NODE_ENABLED',
        },
      },
      ...collectorSections(),
    },
    ...exporterSchema(),
    ...kubeSchema(),
  };
}
