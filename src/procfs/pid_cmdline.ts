/**
 * Returns the arguments of a /proc/<pid>/cmdline text: NUL-separated, trailing NULs
 * dropped, [] for a kernel thread or zombie (empty file), as prometheus/procfs's CmdLine.
 *   "sleep\0 1000\0" → ["sleep", "1000"]
 */
export function parsePidCmdline(text: string): string[] {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  return end === 0 ? [] : text.slice(0, end).split('\0');
}

/**
 * Returns the kernel function a task sleeps in from a /proc/<pid>/wchan text: "" for a
 * running task ("0" or empty), as prometheus/procfs's Wchan.
 *   "do_nanosleep" → "do_nanosleep", "0" → ""
 */
export const parsePidWchan = (text: string): string => (text === '0' ? '' : text);
