import type { Labels, Sample } from '../../model/family';
import { sample, timeSeconds, type FamilySpec, type Stability } from '../common';
import type { KubeObject } from '../types';

// Pieces the workload, service and claim stores share: Go's zero values for absent fields,
// and the families KSM builds the same way for several kinds from ObjectMeta
// (kube_<kind>_created, _deletion_timestamp, _metadata_generation, _owner).

/** Returns an int field of a Kubernetes object as Go decodes it: absent (or not a number) is 0. */
export const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Returns a pointer field (`*int32`, `*int64`): undefined when absent, as a nil pointer. */
export const ptr = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Returns one unlabelled sample of `v`, or none when `v` is undefined (a nil pointer). */
export const single = (v: number | undefined): Sample[] => (v === undefined ? [] : [sample({}, v)]);

/** Returns the identity KSM gives every series of a kind: namespace and the object's name under `nameLabel`. */
export const namespaced =
  (nameLabel: string) =>
  (obj: KubeObject): Labels => ({ namespace: obj.metadata.namespace ?? '', [nameLabel]: obj.metadata.name });

/** Returns the spec of a family with one unlabelled sample per object: `value` (undefined: none). */
export const gaugeSpec = <T extends KubeObject = KubeObject>(
  name: string,
  help: string,
  stability: Stability,
  value: (obj: T) => number | undefined,
): FamilySpec<T> => ({ name, help, stability, samples: (obj) => single(value(obj)) });

/** Returns a maker of STABLE `kube_<kind>_status_<name>` specs: status.<field>, 0 when absent. */
export const statusSpecs =
  (kind: string) =>
  (name: string, help: string, field: string): FamilySpec =>
    gaugeSpec(`kube_${kind}_status_${name}`, help, 'STABLE', (o) => int(o.status?.[field]));

/** `kube_<kind>_created`: metadata.creationTimestamp in Unix seconds, none when unset. */
export const createdSpec = (kind: string, stability: Stability = 'STABLE'): FamilySpec =>
  gaugeSpec(`kube_${kind}_created`, 'Unix creation timestamp', stability, (o) => timeSeconds(o.metadata.creationTimestamp));

/** `kube_<kind>_deletion_timestamp`: metadata.deletionTimestamp in Unix seconds, none when unset. */
export const deletionSpec = (kind: string, stability: Stability = 'ALPHA'): FamilySpec =>
  gaugeSpec(`kube_${kind}_deletion_timestamp`, 'Unix deletion timestamp', stability, (o) => timeSeconds(o.metadata.deletionTimestamp));

/** `kube_<kind>_metadata_generation`: metadata.generation (0 when unset). */
export const generationSpec = (
  kind: string,
  help = 'Sequence number representing a specific generation of the desired state.',
): FamilySpec => gaugeSpec(`kube_${kind}_metadata_generation`, help, 'STABLE', (o) => int(o.metadata.generation));

/**
 * `kube_<kind>_owner`: one series per owner reference with `owner_kind`, `owner_name` and,
 * when `withController`, `owner_is_controller` ("true"/"false", "false" when unset); one
 * series with empty values when the object has no owner.
 */
export function ownerSpec(kind: string, help: string, stability: Stability, withController: boolean): FamilySpec {
  return {
    name: `kube_${kind}_owner`,
    help,
    stability,
    samples: (obj) => {
      const owners = obj.metadata.ownerReferences ?? [];
      if (owners.length === 0)
        return [sample(withController ? { owner_kind: '', owner_name: '', owner_is_controller: '' } : { owner_kind: '', owner_name: '' }, 1)];
      return owners.map((ow) =>
        sample(
          withController
            ? { owner_kind: ow.kind, owner_name: ow.name, owner_is_controller: ow.controller === true ? 'true' : 'false' }
            : { owner_kind: ow.kind, owner_name: ow.name },
          1,
        ),
      );
    },
  };
}
