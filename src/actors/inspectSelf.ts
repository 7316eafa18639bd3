import { cpuProfile, heapSnapshotToFile } from './inspect';
import type { InspectReply, InspectRequest } from './protocol';

/**
 * Runs an InspectRequest on the calling thread (a collector worker) and answers it once through
 * `reply`: `{profile}` (the `.cpuprofile` JSON text) for 'cpu', `{bytes}` for 'heap' (the
 * snapshot is in `m.file`), `{error}` when the inspector refused or the file could not be written.
 */
export function inspectSelf(m: InspectRequest, reply: (r: InspectReply) => void): void {
  const fail = (e: unknown): void => reply({ type: 'inspected', id: m.id, error: e instanceof Error ? e.message : String(e) });
  if (m.what === 'cpu') {
    cpuProfile(m.ms ?? 1000).subscribe({ next: (profile) => reply({ type: 'inspected', id: m.id, profile }), error: fail });
    return;
  }
  if (!m.file) {
    fail(new Error('heap snapshot request without a file'));
    return;
  }
  heapSnapshotToFile(m.file).then((bytes) => reply({ type: 'inspected', id: m.id, bytes }), fail);
}
