// statfs for the collector worker in tests (AgentOptions.statfsModule): a directory whose name
// starts with "hung" blocks in read(2) on its "fifo" until a writer opens it, as statfs on a dead
// NFS server blocks; once the directory holds "released" it answers at once. statfsSync runs on
// the statfs threads, statfs (a read on libuv's pool, which the FIFO holds) on the pool.
const fs = require('node:fs');
const path = require('node:path');

exports.statfsSync = (p) => {
  if (hung(p)) fs.readFileSync(path.join(p, 'fifo'));
  return fs.statfsSync(p);
};

const hung = (p) => path.basename(p).startsWith('hung') && !fs.existsSync(path.join(p, 'released'));

exports.statfs = async (p) => {
  if (hung(p)) await fs.promises.readFile(path.join(p, 'fifo'));
  return fs.promises.statfs(p);
};
