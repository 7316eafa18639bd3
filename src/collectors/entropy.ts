import { defer, from } from 'rxjs';
import { RxporterError } from '../errors';
import { gauge, type MetricFamily } from '../model/family';
import { isMissingError, readUintFile } from '../sysfs/sysAttr';
import { simpleDefinition, type Collector, type CollectorContext } from './types';

/** Returns node_entropy_available_bits and node_entropy_pool_size_bits. */
export const entropyFamilies = (s: { available: number; poolSize: number }): MetricFamily[] => [
  gauge('node_entropy_available_bits', 'Bits of available entropy.', [{ labels: {}, value: s.available }]),
  gauge('node_entropy_pool_size_bits', 'Bits of entropy pool.', [{ labels: {}, value: s.poolSize }]),
];

/** Returns the kernel's entropy_avail and poolsize; either missing fails the collector, as in node_exporter. */
export function readEntropy(ctx: CollectorContext): { available: number; poolSize: number } {
  const read = (file: string, what: string): number => {
    try {
      return readUintFile(ctx.procPath, `sys/kernel/random/${file}`);
    } catch (e) {
      if (isMissingError(e)) throw new RxporterError('RXP_PROC_MISSING', `couldn't get ${what}`, false, { cause: e });
      throw e;
    }
  };
  return { available: read('entropy_avail', 'entropy_avail'), poolSize: read('poolsize', 'entropy poolsize') };
}

/** The entropy collector: available entropy from <procfs>/sys/kernel/random. */
export const entropy: Collector = {
  name: 'entropy',
  defaultEnabled: true,
  collect: (ctx) => defer(() => from(entropyFamilies(readEntropy(ctx)))),
};

/** The entropy collector's registration. */
export const entropyDefinition = simpleDefinition(entropy);
