import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTlsFiles } from './tlsFiles';

/** PEM files of a throw-away CA, a server certificate for 127.0.0.1 and a client certificate, in a temp dir. */
export interface TestCerts {
  readonly dir: string;
  readonly ca: Buffer;
  readonly serverKey: Buffer;
  readonly serverCert: Buffer;
  readonly clientKey: Buffer;
  readonly clientCert: Buffer;
  /** Paths of the same, for kubeconfig files. */
  readonly paths: { ca: string; clientKey: string; clientCert: string };
  remove(): void;
}

/** Returns fresh certificates (the suite's test PKI, tlsFiles.ts) in a temp dir. */
export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'rxp-kube-certs-'));
  const f = makeTlsFiles(dir);
  return {
    dir,
    ca: readFileSync(f.ca),
    serverKey: readFileSync(f.serverKey),
    serverCert: readFileSync(f.serverCert),
    clientKey: readFileSync(f.clientKey),
    clientCert: readFileSync(f.clientCert),
    paths: { ca: f.ca, clientKey: f.clientKey, clientCert: f.clientCert },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
