import { RxporterError } from '../errors';

const bad = (line: string, why: string) => new RxporterError('RXP_PROC_PARSE', `os-release: ${why}: ${JSON.stringify(line)}`);

const isKeyStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isKeyChar = (c: number) => isKeyStart(c) || (c >= 48 && c <= 57);

/** Returns the value after `=` with shell-style quoting resolved (os-release(5)). */
function parseValue(raw: string, line: string): string {
  const v = raw.trim();
  if (v.startsWith('"')) {
    let out = '';
    for (let i = 1; i < v.length; i++) {
      const c = v[i];
      if (c === '\\' && i + 1 < v.length) {
        const n = v[++i];
        out += n === 'n' ? '\n' : '\\$"`'.includes(n) ? n : `\\${n}`;
      } else if (c === '"') {
        const rest = v.slice(i + 1).trim();
        if (rest !== '' && !rest.startsWith('#')) throw bad(line, 'text after the closing quote');
        return out;
      } else out += c;
    }
    throw bad(line, 'unterminated double quote');
  }
  if (v.startsWith("'")) {
    const end = v.indexOf("'", 1);
    if (end < 0) throw bad(line, 'unterminated single quote');
    const rest = v.slice(end + 1).trim();
    if (rest !== '' && !rest.startsWith('#')) throw bad(line, 'text after the closing quote');
    return v.slice(1, end);
  }
  const hash = v.search(/\s#/);
  const plain = (hash >= 0 ? v.slice(0, hash) : v).trim();
  if (/\s/.test(plain)) throw bad(line, 'unquoted value with blanks');
  return plain.replace(/\\(.)/g, '$1');
}

/**
 * Returns the variables of an os-release file (KEY=value lines, values optionally quoted
 * as in a shell; comments and blank lines skipped).
 *   'PRETTY_NAME="Ubuntu 20.04.2 LTS"' → Map { 'PRETTY_NAME' => 'Ubuntu 20.04.2 LTS' }
 * Throws RXP_PROC_PARSE quoting a line without '=', with an invalid key or broken quoting.
 */
export function parseOsRelease(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice(7).trimStart();
    const eq = line.indexOf('=');
    if (eq <= 0) throw bad(raw, 'expected KEY=value');
    const key = line.slice(0, eq);
    if (!isKeyStart(key.charCodeAt(0)) || ![...key].every((c) => isKeyChar(c.charCodeAt(0)))) throw bad(raw, 'invalid key');
    out.set(key, parseValue(line.slice(eq + 1), raw));
  }
  return out;
}

/**
 * Returns the major.minor number at the start of VERSION_ID, or 0 without one.
 *   "20.04" → 20.04, "12" → 12, "rolling" → 0
 */
export function osVersionNumber(versionId: string): number {
  const m = /^[0-9]+\.?[0-9]*/.exec(versionId);
  return m ? Number(m[0].endsWith('.') ? m[0].slice(0, -1) : m[0]) : 0;
}

/** Returns the Unix time of a SUPPORT_END date (YYYY-MM-DD, UTC); RXP_PROC_PARSE otherwise. */
export function supportEndSeconds(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(m[3])) {
    throw new RxporterError('RXP_PROC_PARSE', `os-release: invalid SUPPORT_END ${JSON.stringify(date)}`);
  }
  return ms / 1000;
}
