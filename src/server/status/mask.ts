/** What a masked secret reads as (Prometheus shows `<secret>` in its config page too). */
export const SECRET = '<secret>';

/** Keys whose values are secrets: passwords, tokens, bearer, credentials, auth headers, API keys, cookies. */
const SECRET_KEY = /pass(word|wd)?|secret|token|bearer|credential|authori[sz]ation|cookie|api[-_]?key|private[-_]?key/i;
/** A `*_file` / `*File` key holds a path: shown as is (the file itself is never read here). */
const FILE_KEY = /(_file|File|_path|Path|Dir)$/;
/** A map under such a key holds user names to password hashes (exporter-toolkit's basic_auth_users). */
const USERS_KEY = /users$/i;
const BCRYPT = /^\$2[abxy]?\$\d\d\$/;
const decoded = (k: string): string => {
  try {
    return decodeURIComponent(k);
  } catch {
    return k; // a stray '%': judged as written
  }
};
const URL_WITH_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i;

/**
 * Returns `s` with a URL's secrets masked: the password of its userinfo (`https://u:<secret>@h/`),
 * a userinfo without password whole (it is often a token: `https://<secret>@h/`), and the
 * values of query parameters with secret names (`?token=<secret>`). Other strings unchanged.
 */
export function maskUrl(s: string): string {
  let out = s.replace(URL_WITH_USERINFO, (_, scheme: string, info: string) => {
    const i = info.indexOf(':');
    return `${scheme}${i < 0 ? SECRET : `${info.slice(0, i)}:${SECRET}`}@`;
  });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(out) && out.includes('?')) {
    out = out.replace(/([?&])([^=&#]+)=([^&#]*)/g, (m, sep: string, k: string) => (SECRET_KEY.test(decoded(k)) ? `${sep}${k}=${SECRET}` : m));
  }
  return out;
}

const isSensitiveLeaf = (schema: unknown): boolean =>
  typeof schema === 'object' && schema !== null && (schema as { sensitive?: unknown }).sensitive === true;

const child = (schema: unknown, key: string): unknown =>
  typeof schema === 'object' && schema !== null && !('format' in schema && 'default' in schema) ? (schema as Record<string, unknown>)[key] : undefined;

/**
 * Returns a deep copy of a configuration (or any plain JSON value) fit to show: every non-empty
 * value of a key with a secret name (password, token, bearer, secret, credential,
 * authorization, cookie, api key; not `*_file` / `*File` keys, which hold paths) or marked
 * `sensitive` in the convict `schema` is replaced by `<secret>`, as is every value of a
 * `…users` map (user → password hash) and anything shaped like a bcrypt hash; URLs lose their
 * userinfo's secret (maskUrl). Empty strings stay empty, so "not set" shows. Nothing is read
 * from the files that keys name.
 */
export function maskConfig(value: unknown, schema?: unknown, key = ''): unknown {
  const secretKey = key !== '' && SECRET_KEY.test(key) && !FILE_KEY.test(key);
  if (typeof value === 'string') {
    if (value === '') return value;
    if (secretKey || isSensitiveLeaf(schema) || BCRYPT.test(value)) return SECRET;
    return maskUrl(value);
  }
  if (Array.isArray(value)) return value.map((v) => maskConfig(v, undefined, key));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    const users = USERS_KEY.test(key) && /auth/i.test(key);
    for (const [k, v] of Object.entries(value)) {
      out[k] = users ? (v === '' ? v : SECRET) : secretKey && typeof v === 'string' ? (v === '' ? v : SECRET) : maskConfig(v, child(schema, k), k);
    }
    return out;
  }
  if ((secretKey || isSensitiveLeaf(schema)) && value !== null && value !== undefined && typeof value !== 'boolean') return SECRET;
  return value;
}
