/**
 * Go (RE2) regular expressions as JavaScript RegExps, for process-exporter's `cmdline`
 * matchers: the syntax a Go config may use that JavaScript spells differently is rewritten.
 */

/** POSIX bracket classes of RE2 (inside "[...]") and their JavaScript ranges. */
const POSIX: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/**
 * Returns `source`, a Go regexp (https://github.com/google/re2/wiki/Syntax), as a RegExp
 * that matches the same strings: `(?P<name>…)` becomes `(?<name>…)`, a leading flag group
 * `(?i)`, `(?s)`, `(?m)` becomes RegExp flags, `[[:alpha:]]`-style classes become ranges,
 * `\A` and `\z` become anchors. Unicode mode is used when the pattern allows it (so `\pL`
 * works), otherwise the pattern is compiled without it (JavaScript's Unicode mode refuses
 * escapes such as `\-` outside a class that Go accepts).
 * Throws a plain Error naming the problem for `(?U)` and for a pattern neither mode accepts.
 */
export function compileGoRegexp(source: string): RegExp {
  let body = source;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    if (lead[1].includes('U')) throw new Error('the (?U) flag (ungreedy) is not supported');
    for (const f of lead[1]) if (!flags.includes(f === 's' ? 's' : f)) flags += f;
    body = body.slice(lead[0].length);
  }
  body = body
    .replace(/\(\?P</g, '(?<')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => {
      const r = POSIX[name];
      if (r === undefined) throw new Error(`unknown class [:${name}:]`);
      if (neg) throw new Error(`negated class [:^${name}:] is not supported`);
      return r;
    })
    .replace(/\\A/g, '(?<![\\s\\S])')
    .replace(/\\z/g, '(?![\\s\\S])');
  try {
    return new RegExp(body, `${flags}u`);
  } catch {
    try {
      return new RegExp(body, flags);
    } catch (e) {
      throw new Error((e as Error).message);
    }
  }
}
