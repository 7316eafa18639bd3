import { parseUint } from './parse';

/**
 * Returns the number of member disks from an md `raid_disks` file, or undefined when it
 * is empty or unreadable as a number. A reshape shows two numbers ("4 (3)"): the first counts.
 *   "4\n" → 4, "4 (3)" → 4, "" → undefined
 */
export function parseRaidDisks(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const v = parseUint(t);
  if (!Number.isNaN(v)) return v;
  const sp = t.indexOf(' ');
  if (sp > 0) {
    const first = parseUint(t.slice(0, sp));
    if (!Number.isNaN(first)) return first;
  }
  return undefined;
}

/** md levels whose array has no member count of its own (containers). */
export const MD_CONTAINER_LEVELS: ReadonlySet<string> = new Set(['container', 'imsm', 'ddf', '']);

/** md levels that report degraded disks. */
export const MD_REDUNDANT_LEVELS: ReadonlySet<string> = new Set(['raid1', 'raid4', 'raid5', 'raid6', 'raid10']);
