/**
 * Returns the device properties (the `E:` lines) of a udev database file such as
 * /run/udev/data/b8:0.
 *   "E:ID_MODEL=TOSHIBA_KSDB4U86" → Map { 'ID_MODEL' => 'TOSHIBA_KSDB4U86' }
 * Lines of other kinds (S:, W:, I:, G:) and E: lines without '=' are ignored.
 */
export function parseUdevData(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (text.charCodeAt(start) === 69 /* E */ && text.charCodeAt(start + 1) === 58 /* : */) {
      const eq = text.indexOf('=', start + 2);
      if (eq >= 0 && eq < end) out.set(text.slice(start + 2, eq), text.slice(eq + 1, end));
    }
    start = end + 1;
  }
  return out;
}
