import { fields, trimSpace } from '../procfs/goStrconv';

/** One file of /sys/devices/system/cpu/vulnerabilities. */
export interface Vulnerability {
  readonly codename: string;
  /** "not affected", "vulnerable", "mitigation" or "unknown". */
  readonly state: string;
  readonly mitigation: string;
}

const STATES = ['not affected', 'vulnerable', 'mitigation', 'unknown'] as const;

/**
 * Returns a vulnerability's state and mitigation text as procfs reads them: the state is
 * the lower-cased prefix, the mitigation the words after the first one.
 *   ("spectre_v1", "Mitigation: usercopy/swapgs barriers\n") → { state: "mitigation", mitigation: "usercopy/swapgs barriers" }
 *   ("mds", "Not affected\n") → { state: "not affected", mitigation: "" }
 * Text with another prefix is "unknown" with the whole text as mitigation.
 */
export function parseVulnerability(codename: string, raw: string): Vulnerability {
  const text = trimSpace(raw);
  const lower = text.toLowerCase();
  const state = STATES.find((s) => lower.startsWith(s));
  if (state === undefined) return { codename, state: 'unknown', mitigation: text };
  if (state === 'not affected') return { codename, state, mitigation: '' };
  const words = fields(text);
  return { codename, state, mitigation: words.length > 1 ? words.slice(1).join(' ') : '' };
}
