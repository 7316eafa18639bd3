import { bcachefsDefinition } from '../bcachefs';
import { diskstatsDefinition } from '../diskstats';
import { mdadmDefinition } from '../mdadm';
import { hwmonDefinition } from '../hwmon';
import { pcideviceDefinition } from '../pcidevice';
import type { CollectorDefinition } from '../types';
import { zfsDefinition } from '../zfs';

/** node_exporter's storage collectors (issue 4). */
export const storageDefinitions: readonly CollectorDefinition[] = [bcachefsDefinition, diskstatsDefinition, hwmonDefinition, mdadmDefinition, pcideviceDefinition, zfsDefinition];
