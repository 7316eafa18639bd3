import type { Server } from 'node:http';
import { startAgent, type Agent } from '../agent';
import type { Collector } from '../collectors/types';
import type { RxporterConfig } from '../config/load';
import type { Log } from '../log/types';

/** A running daemon: the agent, its HTTP server and a graceful shutdown. */
export interface Daemon {
  readonly agent: Agent;
  readonly server: Server;
  /** The bound port (useful with port 0). */
  readonly port: number;
  /**
   * Stops the interval, lets a collection and responses in flight finish (at most
   * `graceMs`), closes the server and the sinks. Resolves true when all finished in time.
   */
  shutdown(graceMs?: number): Promise<boolean>;
}

/**
 * Starts the agent, the push sinks the config enables and the /metrics server (agent.ts's
 * startAgent) with a graceful shutdown. `loadConfig` re-reads the configuration's sources for
 * agent.reload() (SIGHUP, POST /-/reload).
 */
export async function startDaemon(
  config: RxporterConfig,
  log: Log,
  o: { collectors?: readonly Collector[]; loadConfig?: () => RxporterConfig | Promise<RxporterConfig> } = {},
): Promise<Daemon> {
  const { agent, server, port } = await startAgent({ config, log, collectors: o.collectors, loadConfig: o.loadConfig });
  return {
    agent,
    server,
    port,
    async shutdown(graceMs = 4000) {
      // Stop accepting; responses in flight finish; idle keep-alive connections go now.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A keep-alive connection turns idle when its response in flight ends: close it then.
      const sweeper = setInterval(() => server.closeIdleConnections(), 25);
      server.closeIdleConnections();
      void closed.then(() => clearInterval(sweeper));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      const ok = await Promise.race([Promise.all([agent.stop(graceMs), closed]).then(() => true as const), late]);
      clearTimeout(timer);
      if (!ok) {
        clearInterval(sweeper);
        server.closeAllConnections();
      }
      return ok;
    },
  };
}
