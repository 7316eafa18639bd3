import type { KsmResource, KsmStore } from '../types';
import { cronjobStore } from './cronjob';
import { daemonsetStore } from './daemonset';
import { deploymentStore } from './deployment';
import { jobStore } from './job';
import { namespaceStore } from './namespace';
import { nodeStore } from './node';
import { persistentvolumeclaimStore } from './persistentvolumeclaim';
import { podStore } from './pod';
import { replicasetStore } from './replicaset';
import { serviceStore } from './service';
import { statefulsetStore } from './statefulset';

/** The store of each resource of KSM_RESOURCES (the type makes a missing one a compile error). */
export const KSM_STORES: Readonly<Record<KsmResource, KsmStore>> = {
  cronjobs: cronjobStore,
  daemonsets: daemonsetStore,
  deployments: deploymentStore,
  jobs: jobStore,
  namespaces: namespaceStore,
  nodes: nodeStore,
  persistentvolumeclaims: persistentvolumeclaimStore,
  pods: podStore,
  replicasets: replicasetStore,
  services: serviceStore,
  statefulsets: statefulsetStore,
};
