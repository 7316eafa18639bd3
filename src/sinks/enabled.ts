import type { RxporterConfig } from '../config/load';
import { RxporterError } from '../errors';
import { clientOptionProblems } from './clientOptions';

/** Which push sinks a config enables. */
export interface Enabled {
  readonly pushgateway: boolean;
  readonly vmagent: boolean;
  readonly remoteWrite: boolean;
}

/**
 * Returns which sinks the config enables; throws RXP_CONFIG for a sink enabled without a URL
 * and (one line each) for inconsistent client options of any sink (clientOptionProblems).
 */
export function enabledSinks(config: RxporterConfig): Enabled {
  const e = config.exporter;
  const on = (s: { enable: boolean | null; url: string }, key: string): boolean => {
    const v = s.enable ?? s.url !== '';
    if (v && s.url === '') throw new RxporterError('RXP_CONFIG', `exporter.${key}.enable is true but exporter.${key}.url is empty`);
    if (v && !/^https?:\/\/[^/]/.test(s.url)) throw new RxporterError('RXP_CONFIG', `exporter.${key}.url: must be an http:// or https:// URL; value was ${JSON.stringify(s.url)}`);
    return v;
  };
  const problems = (['pushgateway', 'vmagent', 'remoteWrite'] as const).flatMap((k) => clientOptionProblems(e[k], `exporter.${k}`));
  if (problems.length > 0) throw new RxporterError('RXP_CONFIG', problems.join('\n'));
  const res = { pushgateway: on(e.pushgateway, 'pushgateway'), vmagent: on(e.vmagent, 'vmagent'), remoteWrite: on(e.remoteWrite, 'remoteWrite') };
  if (e.enable === false) return { pushgateway: false, vmagent: false, remoteWrite: false };
  return res;
}

