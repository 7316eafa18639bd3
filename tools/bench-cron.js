// croner's cost for kube_cronjob_next_schedule_time: load time, the first next run of a job
// (in the process zone and in a named zone) and the following ones on the same job.
// Usage: node tools/bench-cron.js [RUNS=2000]
const runs = Number(process.argv[2] || 2000);
const ms = (a, b) => Number(b - a) / 1e6;
let t = process.hrtime.bigint();
const { Cron } = require('croner');
console.log(`require('croner'): ${ms(t, process.hrtime.bigint()).toFixed(1)} ms`);
for (const tz of [undefined, 'Asia/Shanghai']) {
  t = process.hrtime.bigint();
  const job = new Cron('0 0 0,6,12,18 * * *', { timezone: tz, domAndDow: true, mode: '6-part', paused: true });
  job.nextRun(new Date(1520742896000));
  const first = ms(t, process.hrtime.bigint());
  t = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) job.nextRun(new Date(1520742896000 + i * 60000));
  const each = (ms(t, process.hrtime.bigint()) / runs) * 1000;
  console.log(`${tz ?? 'process zone'}: first next run ${first.toFixed(2)} ms, then ${each.toFixed(0)} µs each`);
}
