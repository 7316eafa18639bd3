// A statfs for the collector workers' statfs threads in tests (AgentOptions.statfsModule): a
// directory whose name starts with "hung" blocks in read(2) on its "fifo" until a writer opens
// it, as statfs on a dead NFS server blocks; once the directory holds "released" it answers at once.
const fs = require('node:fs');
const path = require('node:path');

exports.statfsSync = (p) => {
  if (path.basename(p).startsWith('hung') && !fs.existsSync(path.join(p, 'released'))) fs.readFileSync(path.join(p, 'fifo'));
  return fs.statfsSync(p);
};
