import { bcacheDefinition } from '../bcache';
import { bcachefsDefinition } from '../bcachefs';
import { btrfsDefinition } from '../btrfs';
import { diskstatsDefinition } from '../diskstats';
import { dmiDefinition } from '../dmi';
import { dmmultipathDefinition } from '../dmmultipath';
import { drbdDefinition } from '../drbd';
import { edacDefinition } from '../edac';
import { hwmonDefinition } from '../hwmon';
import { mdadmDefinition } from '../mdadm';
import { nvmeDefinition } from '../nvme';
import { osDefinition } from '../os';
import { pcideviceDefinition } from '../pcidevice';
import { powerSupplyClassDefinition } from '../powersupplyclass';
import { raplDefinition } from '../rapl';
import { tapestatsDefinition } from '../tapestats';
import { textfileDefinition } from '../textfile';
import { thermalZoneDefinition } from '../thermal_zone';
import type { CollectorDefinition } from '../types';
import { watchdogDefinition } from '../watchdog';
import { xfsDefinition } from '../xfs';
import { zfsDefinition } from '../zfs';

/** node_exporter's storage and hardware collectors (issue 4). */
export const storageDefinitions: readonly CollectorDefinition[] = [
  bcacheDefinition,
  bcachefsDefinition,
  btrfsDefinition,
  diskstatsDefinition,
  dmiDefinition,
  dmmultipathDefinition,
  drbdDefinition,
  edacDefinition,
  hwmonDefinition,
  mdadmDefinition,
  nvmeDefinition,
  osDefinition,
  pcideviceDefinition,
  powerSupplyClassDefinition,
  raplDefinition,
  tapestatsDefinition,
  textfileDefinition,
  thermalZoneDefinition,
  watchdogDefinition,
  xfsDefinition,
  zfsDefinition,
];
