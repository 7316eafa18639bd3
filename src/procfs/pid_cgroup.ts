import { RxporterError } from '../errors';

/**
 * Returns the cgroup paths of a /proc/<pid>/cgroup text, one per hierarchy in file order
 * ("hierarchy-ID:controllers:path" lines, cgroups(7)), as prometheus/procfs's Cgroups.
 *   "12:pids:/user.slice\n0::/user.slice/session-1.scope\n" → ["/user.slice", "/user.slice/session-1.scope"]
 * Throws RXP_PROC_PARSE quoting the line when a line has fewer than three fields.
 */
export function parsePidCgroup(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const a = line.indexOf(':');
    const b = a < 0 ? -1 : line.indexOf(':', a + 1);
    if (b < 0) throw new RxporterError('RXP_PROC_PARSE', `cgroup: bad line ${JSON.stringify(line)}`);
    out.push(line.slice(b + 1));
  }
  return out;
}
