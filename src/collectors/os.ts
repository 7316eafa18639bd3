import { readFileSync } from 'node:fs';
import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { osVersionNumber, parseOsRelease, supportEndSeconds } from '../procfs/osRelease';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import { simpleDefinition, type CollectorContext } from './types';

const FILES = ['/etc/os-release', '/usr/lib/os-release'];

const INFO_LABELS: readonly (readonly [string, string])[] = [
  ['build_id', 'BUILD_ID'],
  ['id', 'ID'],
  ['id_like', 'ID_LIKE'],
  ['image_id', 'IMAGE_ID'],
  ['image_version', 'IMAGE_VERSION'],
  ['name', 'NAME'],
  ['pretty_name', 'PRETTY_NAME'],
  ['variant', 'VARIANT'],
  ['variant_id', 'VARIANT_ID'],
  ['version', 'VERSION'],
  ['version_codename', 'VERSION_CODENAME'],
  ['version_id', 'VERSION_ID'],
];

/**
 * Returns node_exporter's os families from <rootfs>/etc/os-release, else
 * <rootfs>/usr/lib/os-release (the rootfs prefix is prepended as a string, as upstream).
 * Throws RXP_NO_DATA when neither exists.
 */
export function osFamilies(ctx: CollectorContext): MetricFamily[] {
  let text: string | undefined;
  for (const f of FILES) {
    try {
      text = readFileSync(ctx.rootPath + f, 'utf8');
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new RxporterError('RXP_PROC_READ', `${ctx.rootPath + f}: ${(e as Error).message}`, false, { cause: e });
    }
  }
  if (text === undefined) throw new RxporterError('RXP_NO_DATA', `no os-release file found under ${ctx.rootPath}`);
  const env = parseOsRelease(text);
  const v = (k: string) => env.get(k) ?? '';
  const version = osVersionNumber(v('VERSION_ID'));
  const supportEnd = v('SUPPORT_END') !== '' ? supportEndSeconds(v('SUPPORT_END')) : undefined;
  const b = new FamilyBuilder();
  const info: Record<string, string> = {};
  for (const [label, key] of INFO_LABELS) info[label] = v(key);
  b.gauge(
    'node_os_info',
    "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.",
    info,
    1,
  );
  if (version > 0) b.gauge('node_os_version', 'Metric containing the major.minor part of the OS version.', { id: v('ID'), id_like: v('ID_LIKE'), name: v('NAME') }, version);
  if (supportEnd !== undefined) b.gauge('node_os_support_end_timestamp_seconds', 'Metric containing the end-of-life date timestamp of the OS.', {}, supportEnd);
  return b.families();
}

/** The os collector (default on): os-release information. */
export const osCollector = syncCollector('os', true, osFamilies);

/** The os collector's registration. */
export const osDefinition = simpleDefinition(osCollector);
