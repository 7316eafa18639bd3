import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files made by makeTlsFiles, as absolute paths. */
export interface TlsFiles {
  /** The CA that signed the server and client certificates. */
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** A client certificate signed by `ca`, SAN DNS:scraper.test. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** A self-signed client certificate (not from `ca`). */
  readonly strangerCert: string;
  readonly strangerKey: string;
  /** A self-signed server certificate for 127.0.0.1 and localhost (not from `ca`: for insecureSkipVerify). */
  readonly selfCert: string;
  readonly selfKey: string;
}

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

/** Writes a key pair and a certificate signed by the CA in `dir` (or self-signed without `ca`). */
function issue(dir: string, name: string, subject: string, ext: string, ca?: { cert: string; key: string }): void {
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
  writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
  const sign = ca ? ['-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial'] : ['-signkey', `${name}.key`];
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`, ...sign]);
}

/**
 * Makes, with the `openssl` command, a CA, a server certificate for 127.0.0.1 and localhost
 * (SAN), client certificates and a self-signed server certificate in `dir`; EC P-256 keys (fast
 * to make), valid 2 days. The one test PKI of the suite (web config, sinks, Kubernetes client).
 */
export function makeTlsFiles(dir: string): TlsFiles {
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=rxporter test CA']);
  const ca = { cert: 'ca.pem', key: 'ca.key' };
  const serverSan = 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth';
  issue(dir, 'server', '/CN=127.0.0.1', serverSan, ca);
  issue(dir, 'client', '/CN=scraper', 'subjectAltName=DNS:scraper.test\nextendedKeyUsage=clientAuth', ca);
  issue(dir, 'stranger', '/CN=stranger', 'subjectAltName=DNS:stranger.test\nextendedKeyUsage=clientAuth');
  issue(dir, 'self', '/CN=self-signed', serverSan);
  const p = (f: string) => join(dir, f);
  return {
    ca: p('ca.pem'),
    serverCert: p('server.pem'),
    serverKey: p('server.key'),
    clientCert: p('client.pem'),
    clientKey: p('client.key'),
    strangerCert: p('stranger.pem'),
    strangerKey: p('stranger.key'),
    selfCert: p('self.pem'),
    selfKey: p('self.key'),
  };
}

/** Returns the bcrypt hash `htpasswd -B` (apache2-utils) makes of `password`, at bcrypt cost `cost`. */
export function htpasswdHash(password: string, cost = 10): string {
  return execFileSync('htpasswd', ['-nbB', '-C', String(cost), 'u', password], { encoding: 'utf8' }).trim().slice(2);
}
