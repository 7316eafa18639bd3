import { RxporterError } from '../errors';
import { fields, goIntBase0 } from './goStrconv';

/** Returns the /proc/sys path of a sysctl name: "fs.file-nr" → "sys/fs/file-nr". */
export const sysctlPath = (name: string): string => `sys/${name.split('.').join('/')}`;

/**
 * Returns the whitespace-separated values of a sysctl file's text (procfs' SysctlStrings).
 *   "kill_process kill_thread trap\n" → ["kill_process", "kill_thread", "trap"]
 */
export const parseSysctlStrings = (text: string): string[] => fields(text);

/**
 * Returns a sysctl's values as integers (procfs' SysctlInts: Go's ParseInt base 0).
 *   "1024\t0\t1631329\n" → [1024, 0, 1631329]
 * Throws RXP_PROC_PARSE naming the sysctl and the field that is not an integer.
 */
export function parseSysctlInts(text: string, name: string): number[] {
  return fields(text).map((f, i) => {
    const v = goIntBase0(f);
    if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `sysctl ${name}: field ${i} is not a valid int: ${JSON.stringify(f)}`);
    return v;
  });
}
