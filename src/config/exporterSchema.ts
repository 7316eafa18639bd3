import { MAX_DURATION } from './ranges';
import { count, dur } from './schema';

const str = (doc: string, def: string, env: string, arg?: string) => ({ doc, format: String, default: def, env, ...(arg ? { arg } : {}) });
const bool = (doc: string, def: boolean, env: string, arg?: string) => ({ doc, format: 'bool', default: def, env, ...(arg ? { arg } : {}) });
/** null means "on when the section has a URL". */
const optBool = (doc: string, env: string, arg: string) => ({
  doc,
  format: 'optional-boolean',
  default: null as boolean | null,
  nullable: true,
  env,
  arg,
});
const map = (doc: string, env: string) => ({ doc, format: 'string-map', default: {} as Record<string, string>, env });

/**
 * Returns the HTTP client keys every push sink has (`exporter.<sink>.tls.*`, `basicAuth.*`,
 * `bearerToken`, `bearerTokenFile`, `proxyUrl`, `noProxy`, `headers`), with the meaning of
 * Prometheus' HTTP client config; `env` and `arg` are the sink's prefixes. Secrets (password,
 * bearerToken) have no flag: a command line is visible to every user of the host.
 */
function clientKeys(env: string, arg: string) {
  return {
    tls: {
      caFile: str('PEM CA certificates that verify the receiver, instead of the system roots; re-read when it changes.', '', `${env}_TLS_CA_FILE`, `${arg}.tls.ca-file`),
      certFile: str('PEM client certificate presented to the receiver (with tls.keyFile); re-read when it changes.', '', `${env}_TLS_CERT_FILE`, `${arg}.tls.cert-file`),
      keyFile: str('PEM key of tls.certFile; re-read when it changes.', '', `${env}_TLS_KEY_FILE`, `${arg}.tls.key-file`),
      serverName: str('Name expected in the receiver certificate and sent as SNI (default: the URL host).', '', `${env}_TLS_SERVER_NAME`, `${arg}.tls.server-name`),
      insecureSkipVerify: bool('Accept any receiver certificate (self-signed, other name, expired): no protection against a man in the middle.', false, `${env}_TLS_INSECURE_SKIP_VERIFY`, `${arg}.tls.insecure-skip-verify`),
      minVersion: {
        doc: 'Oldest TLS version accepted (empty: TLS12, Node\'s default).',
        format: ['', 'TLS10', 'TLS11', 'TLS12', 'TLS13'],
        default: '',
        env: `${env}_TLS_MIN_VERSION`,
        arg: `${arg}.tls.min-version`,
      },
    },
    basicAuth: {
      username: str('Basic auth user name (empty: no basic auth).', '', `${env}_BASIC_AUTH_USERNAME`, `${arg}.basic-auth.username`),
      usernameFile: str('File holding the basic auth user name, read before each request.', '', `${env}_BASIC_AUTH_USERNAME_FILE`, `${arg}.basic-auth.username-file`),
      password: { ...str('Basic auth password (file or environment only).', '', `${env}_BASIC_AUTH_PASSWORD`), sensitive: true },
      passwordFile: str('File holding the basic auth password, read before each request (a rotated one is used by the next push).', '', `${env}_BASIC_AUTH_PASSWORD_FILE`, `${arg}.basic-auth.password-file`),
    },
    bearerToken: { ...str('Bearer token sent as "Authorization: Bearer" (file or environment only; empty: none).', '', `${env}_BEARER_TOKEN`), sensitive: true },
    bearerTokenFile: str('File holding the bearer token, read before each request (a rotated one is used by the next push).', '', `${env}_BEARER_TOKEN_FILE`, `${arg}.bearer-token-file`),
    proxyUrl: { ...str('HTTP(S) proxy the requests go through (CONNECT tunnel); empty: none, whatever HTTP_PROXY says.', '', `${env}_PROXY_URL`, `${arg}.proxy-url`), sensitive: true },
    noProxy: str('Hosts reached without the proxy: comma-separated names, .domain suffixes, host:port.', '', `${env}_NO_PROXY`, `${arg}.no-proxy`),
    headers: map('Extra HTTP headers of every request, e.g. {"X-Scope-OrgID":"t1"}; Authorization, Content-Type, Content-Encoding and other reserved ones are refused.', `${env}_HEADERS`),
  };
}

/** Returns the `exporter` section of the schema: the push sinks, their retry, queue and standby switch. */
export function exporterSchema() {
  return {
    exporter: {
      enable: optBool(
        'Push snapshots to the enabled sinks (default: on when any sink has a URL).',
        'RXPORTER_EXPORTER_ENABLE',
        'push.enable',
      ),
      standby: bool(
        'Standby replica: collect and serve /metrics but push nothing (can be switched at run time).',
        false,
        'RXPORTER_EXPORTER_STANDBY',
        'push.standby',
      ),
      pushInterval: dur('How often the snapshots collected since the last push are pushed.', '30s', 'RXPORTER_EXPORTER_PUSH_INTERVAL', 'push.interval', ['1s', MAX_DURATION]),
      retryCount: count(
        'Attempts per batch in one push round; then it stays at the head of its queue until the next push tick (retry.maxElapsed bounds it). Retry-After waits are not counted.',
        3,
        'RXPORTER_EXPORTER_RETRY_COUNT',
        'push.retry-count',
        [1, 1000],
      ),
      retry: {
        initialBackoff: dur('First retry delay cap (full jitter: a random delay up to it).', '1s', 'RXPORTER_EXPORTER_RETRY_INITIAL_BACKOFF', 'push.retry.initial-backoff', ['10ms', MAX_DURATION]),
        maxBackoff: dur('Largest retry delay cap.', '60s', 'RXPORTER_EXPORTER_RETRY_MAX_BACKOFF', 'push.retry.max-backoff', ['10ms', MAX_DURATION]),
        // At least a minute, so that a short receiver outage never expires what is queued.
        maxElapsed: dur(
          'A batch still failing this long after its first attempt is dropped (reason "expired") and the queue moves on.',
          '1h',
          'RXPORTER_EXPORTER_RETRY_MAX_ELAPSED',
          'push.retry.max-elapsed',
          ['1m', MAX_DURATION],
        ),
      },
      timeout: dur('Timeout of one push request.', '10s', 'RXPORTER_EXPORTER_TIMEOUT', 'push.timeout', ['10ms', MAX_DURATION]),
      queue: {
        dir: str(
          'Disk queue directory (one subdirectory per sink); empty keeps undelivered batches in memory only.',
          '',
          'RXPORTER_EXPORTER_QUEUE_DIR',
          'push.queue.dir',
        ),
        // At least one 1 MiB segment; at most 1 TiB.
        maxBytes: count('Disk queue size limit per sink in bytes; over it the oldest batches are dropped and counted.', 268_435_456, 'RXPORTER_EXPORTER_QUEUE_MAX_BYTES', 'push.queue.max-bytes', [1 << 20, 2 ** 40]),
        memoryBatches: count('Batches (snapshots) a sink buffers in memory; over it the oldest is dropped and counted.', 1000, 'RXPORTER_EXPORTER_QUEUE_MEMORY_BATCHES', 'push.queue.memory-batches', [1, 1_000_000]),
        fsync: {
          doc: 'When the disk queue fsyncs: never (the kernel writes back), batch (records once per push round, the ack on each write), always (every record and ack). See README "Disk queue durability".',
          format: ['never', 'batch', 'always'],
          default: 'batch' as 'never' | 'batch' | 'always',
          env: 'RXPORTER_EXPORTER_QUEUE_FSYNC',
          arg: 'push.queue.fsync',
        },
      },
      pushgateway: {
        enable: optBool('Push to a Pushgateway (default: on when url is set).', 'RXPORTER_EXPORTER_PUSHGATEWAY_ENABLE', 'push.pushgateway.enable'),
        url: str('Pushgateway base URL, e.g. http://pushgateway:9091.', '', 'RXPORTER_EXPORTER_PUSHGATEWAY_URL', 'push.pushgateway.url'),
        job: str('Pushgateway job (default: global.appName).', '', 'RXPORTER_EXPORTER_PUSHGATEWAY_JOB', 'push.pushgateway.job'),
        groupingLabels: map('Extra grouping labels after job and nodeName, e.g. {"dc":"fra1"}.', 'RXPORTER_EXPORTER_PUSHGATEWAY_GROUPING_LABELS'),
        deleteOnShutdown: bool('DELETE the group on a clean shutdown.', true, 'RXPORTER_EXPORTER_PUSHGATEWAY_DELETE_ON_SHUTDOWN', 'push.pushgateway.delete-on-shutdown'),
        ...clientKeys('RXPORTER_EXPORTER_PUSHGATEWAY', 'push.pushgateway'),
      },
      vmagent: {
        enable: optBool('Push to vmagent or VictoriaMetrics (default: on when url is set).', 'RXPORTER_EXPORTER_VMAGENT_ENABLE', 'push.vm.enable'),
        url: str('Base URL of vmagent or VictoriaMetrics; rxporter POSTs to <url>/api/v1/import/prometheus.', '', 'RXPORTER_EXPORTER_VMAGENT_URL', 'push.vm.url'),
        ...clientKeys('RXPORTER_EXPORTER_VMAGENT', 'push.vm'),
      },
      remoteWrite: {
        enable: optBool('Push with Prometheus remote write 1.0 (default: on when url is set).', 'RXPORTER_EXPORTER_REMOTE_WRITE_ENABLE', 'push.remote-write.enable'),
        url: str('Full remote-write URL, e.g. http://prometheus:9090/api/v1/write.', '', 'RXPORTER_EXPORTER_REMOTE_WRITE_URL', 'push.remote-write.url'),
        ...clientKeys('RXPORTER_EXPORTER_REMOTE_WRITE', 'push.remote-write'),
        maxSamplesPerRequest: count(
          'Samples per remote-write request at most; larger snapshots are split.',
          2000,
          'RXPORTER_EXPORTER_REMOTE_WRITE_MAX_SAMPLES_PER_REQUEST',
          'push.remote-write.max-samples-per-request',
          [1, 1_000_000],
        ),
      },
    },
  };
}
