/** Returns the `global.pprof` section of the schema: the profiling listener (src/server/pprof.ts). */
export function pprofSchema() {
  return {
    enable: {
      doc: 'Serve CPU profiles and heap snapshots (node:inspector, for Chrome DevTools) of the main and collector threads under /debug/pprof/ on global.pprof.listenAddress.',
      format: 'bool',
      default: false,
      env: 'RXPORTER_GLOBAL_PPROF_ENABLE',
      arg: 'global.pprof.enable',
    },
    listenAddress: {
      doc: 'Address of the profiling listener (HOST:PORT), apart from /metrics; keep it on loopback: a profile pauses or slows the agent.',
      format: 'listen-address',
      default: '127.0.0.1:6060',
      env: 'RXPORTER_GLOBAL_PPROF_LISTEN_ADDRESS',
      arg: 'global.pprof.listen-address',
    },
  };
}
