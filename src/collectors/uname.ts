import { readFileSync } from 'node:fs';
import { machine, release, type, version, hostname } from 'node:os';
import { defer, of } from 'rxjs';
import { gauge, type MetricFamily } from '../model/family';
import { trimSpace } from '../procfs/goStrconv';
import { simpleDefinition, type Collector } from './types';

/** The six fields of uname(2). */
export interface Utsname {
  readonly sysname: string;
  readonly release: string;
  readonly version: string;
  readonly machine: string;
  readonly nodename: string;
  readonly domainname: string;
}

/** Returns node_uname_info. */
export const unameFamily = (u: Utsname): MetricFamily =>
  gauge('node_uname_info', 'Labeled system information as provided by the uname system call.', [{ labels: { ...u }, value: 1 }]);

/**
 * Returns this kernel's uname(2) fields: Node's os module calls uname(2) for all but the
 * NIS domain name, which Linux also serves (for this UTS namespace) in
 * /proc/sys/kernel/domainname — the host's own /proc, like the syscall, whatever --path.procfs.
 */
export function readUtsname(): Utsname {
  let domainname = '(none)';
  try {
    domainname = trimSpace(readFileSync('/proc/sys/kernel/domainname', 'utf8'));
  } catch {
    // not Linux procfs: keep the kernel's default
  }
  return { sysname: type(), release: release(), version: version(), machine: machine(), nodename: hostname(), domainname };
}

/** The uname collector: node_uname_info from the uname system call. */
export const uname: Collector = {
  name: 'uname',
  defaultEnabled: true,
  collect: () => defer(() => of(unameFamily(readUtsname()))),
};

/** The uname collector's registration. */
export const unameDefinition = simpleDefinition(uname);
