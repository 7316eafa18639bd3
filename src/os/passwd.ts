/**
 * Returns the user names of an /etc/passwd text by uid (passwd(5): "name:pw:uid:gid:…");
 * the first entry wins for a uid listed twice, as getpwuid(3) answers. Comments, blank
 * and malformed lines are skipped.
 *   "root:x:0:0:root:/root:/bin/bash\n" → Map { 0 → "root" }
 */
export function parsePasswd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 3 || !/^\d+$/.test(f[2])) continue;
    const uid = Number(f[2]);
    if (!out.has(uid)) out.set(uid, f[0]);
  }
  return out;
}
