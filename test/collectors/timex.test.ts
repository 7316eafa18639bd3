import { firstValueFrom, toArray } from 'rxjs';
import { timex, timexDefinition } from '../../src/collectors/timex';
import { RxporterError } from '../../src/errors';
import { scrapeCollector } from '../../src/pipeline/scrapeCollector';
import { fixtureContext, recordingLog } from '../support/neFixtures';

describe('timex collector', () => {
  it('reports no data instead of made-up values: adjtimex(2) is out of reach of Node.js', async () => {
    const e = await firstValueFrom(timex.collect(fixtureContext('/nonexistent')).pipe(toArray())).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_NO_DATA' });
  });

  it('is registered default-on like node_exporter, and scrapes as success 0 with a debug line', async () => {
    expect(timexDefinition).toMatchObject({ name: 'timex', defaultEnabled: true });
    const log = recordingLog();
    const r = await firstValueFrom(scrapeCollector(timex, fixtureContext('/nonexistent', log), { timeoutMs: 1000 }));
    expect(r).toMatchObject({ collector: 'timex', success: false, families: [] });
    expect(log.lines.map((l) => l.level)).toEqual(['debug']);
  });
});
