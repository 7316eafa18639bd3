import { readFileSync } from 'node:fs';
import { processFamilies } from '../../src/model/processMetrics';

describe('processFamilies', () => {
  it('reports this process as client_golang\'s process collector does', () => {
    const fams = Object.fromEntries(processFamilies().map((f) => [f.name, f]));
    expect(Object.keys(fams).sort()).toEqual([
      'process_cpu_seconds_total',
      'process_max_fds',
      'process_open_fds',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'process_virtual_memory_bytes',
    ]);
    const rssKb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
    const rss = fams.process_resident_memory_bytes.samples[0].value;
    expect(Math.abs(rss - rssKb * 1024)).toBeLessThan(rssKb * 1024 * 0.2);
    const start = fams.process_start_time_seconds.samples[0].value;
    expect(start).toBeLessThanOrEqual(Date.now() / 1000 + 1);
    expect(start).toBeGreaterThan(Date.now() / 1000 - 24 * 3600 * 365);
    expect(fams.process_open_fds.samples[0].value).toBeGreaterThan(2);
    expect(fams.process_cpu_seconds_total.type).toBe('counter');
  });
});
