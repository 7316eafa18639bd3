import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const GLOB_CHARS = /[*?[\\]/;

/** Returns whether a path segment contains glob syntax (Go's filepath.Match: * ? [ \). */
export const hasGlob = (s: string): boolean => GLOB_CHARS.test(s);

/**
 * Returns a RegExp for one path segment in Go's filepath.Match syntax: `*` any run of
 * characters, `?` one character, `[a-z]`/`[^a-z]` a class, `\x` a literal x.
 * Returns undefined for a malformed pattern (Go's ErrBadPattern).
 */
export function segmentRegExp(pattern: string): RegExp | undefined {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      if (++i >= pattern.length) return undefined;
      re += pattern[i].replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return undefined;
      let cls = pattern.slice(i + 1, end);
      const neg = cls.startsWith('^');
      if (neg) cls = cls.slice(1);
      if (cls === '') return undefined;
      re += `[${neg ? '^' : ''}${cls.replace(/\\(?!.)/g, '\\\\').replace(/]/g, '\\]')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  try {
    return new RegExp(`${re}$`);
  } catch {
    return undefined;
  }
}

/**
 * Returns the paths matching `pattern`, as Go's filepath.Glob: each glob segment matched
 * against a sorted directory listing, unreadable directories ignored; a pattern without
 * glob syntax matches itself only if it exists. Returns undefined for a malformed pattern.
 */
export function glob(pattern: string, exists: (p: string) => boolean): string[] | undefined {
  const abs = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let current: string[] = [abs ? '/' : ''];
  for (let i = abs ? 1 : 0; i < parts.length; i++) {
    const seg = parts[i];
    const next: string[] = [];
    if (!hasGlob(seg)) {
      for (const dir of current) next.push(dir === '' ? seg : join(dir, seg));
    } else {
      const re = segmentRegExp(seg);
      if (!re) return undefined;
      for (const dir of current) {
        let names: string[];
        try {
          names = readdirSync(dir === '' ? '.' : dir);
        } catch {
          continue;
        }
        for (const n of names.sort()) if (re.test(n)) next.push(dir === '' ? n : join(dir, n));
      }
    }
    current = next;
  }
  return current.filter((p) => p !== '' && exists(p));
}
