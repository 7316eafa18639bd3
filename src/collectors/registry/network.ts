import { arpDefinition } from '../arp';
import { bondingDefinition } from '../bonding';
import { conntrackDefinition } from '../conntrack';
import { fibrechannelDefinition } from '../fibrechannel';
import { infinibandDefinition } from '../infiniband';
import { ipvsDefinition } from '../ipvs';
import { lnstatDefinition } from '../lnstat';
import { mountstatsDefinition } from '../mountstats';
import { netclassDefinition } from '../netclass';
import { netdevDefinition } from '../netdev';
import { netstatDefinition } from '../netstat';
import { nfsDefinition } from '../nfs';
import { nfsdDefinition } from '../nfsd';
import { qdiscDefinition } from '../qdisc';
import { sockstatDefinition } from '../sockstat';
import { softnetDefinition } from '../softnet';
import type { CollectorDefinition } from '../types';
import { udpQueuesDefinition } from '../udpQueues';
import { wifiDefinition } from '../wifi';
import { xfrmDefinition } from '../xfrm';

/** node_exporter's network collectors (issue 4). */
export const networkDefinitions: readonly CollectorDefinition[] = [
  arpDefinition,
  bondingDefinition,
  conntrackDefinition,
  fibrechannelDefinition,
  infinibandDefinition,
  ipvsDefinition,
  lnstatDefinition,
  mountstatsDefinition,
  netclassDefinition,
  netdevDefinition,
  netstatDefinition,
  nfsDefinition,
  nfsdDefinition,
  qdiscDefinition,
  sockstatDefinition,
  softnetDefinition,
  udpQueuesDefinition,
  wifiDefinition,
  xfrmDefinition,
];
