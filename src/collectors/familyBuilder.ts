import type { Labels, MetricFamily, Sample } from '../model/family';

/**
 * Collects samples into families by name, keeping the first help and type given for a
 * name; `families()` returns them in insertion order without empty ones.
 */
export class FamilyBuilder {
  private readonly byName = new Map<string, { help: string; type: MetricFamily['type']; samples: Sample[] }>();
  /** Merged into another builder (addAll): its samples are that one's now. */
  private merged = false;

  /**
   * A builder made while `recordBuilders` runs is recorded, so that what it holds survives a
   * throw later in the collector; `scratch` ones (addDevice's) are not: a device is all or nothing.
   */
  constructor(scratch = false) {
    if (!scratch) recording?.push(this);
  }

  /**
   * Adds one sample to family `name`, creating the family on first use. An undefined value
   * (the kernel printed its "no value" marker, see sysfs/parse.ts parseValueOrNone) adds
   * nothing: that one series is left out, the rest of the collection goes on.
   */
  add(name: string, help: string, type: MetricFamily['type'], labels: Labels, value: number | undefined): this {
    if (value === undefined) return this;
    let f = this.byName.get(name);
    if (!f) {
      f = { help, type, samples: [] };
      this.byName.set(name, f);
    }
    f.samples.push({ labels, value });
    return this;
  }

  /** Adds a sample named `series` (`x_bucket`, `x_sum`, …) to the histogram or summary family `name`. */
  series(name: string, help: string, type: 'histogram' | 'summary', series: string, labels: Labels, value: number): this {
    let f = this.byName.get(name);
    if (!f) {
      f = { help, type, samples: [] };
      this.byName.set(name, f);
    }
    f.samples.push(series === name ? { labels, value } : { labels, value, name: series });
    return this;
  }

  /** Adds a gauge sample. */
  gauge(name: string, help: string, labels: Labels, value: number | undefined): this {
    return this.add(name, help, 'gauge', labels, value);
  }

  /** Adds a counter sample. */
  counter(name: string, help: string, labels: Labels, value: number | undefined): this {
    return this.add(name, help, 'counter', labels, value);
  }

  /** Adds an untyped sample. */
  untyped(name: string, help: string, labels: Labels, value: number | undefined): this {
    return this.add(name, help, 'untyped', labels, value);
  }

  /** Adds every sample of `other`, family by family. */
  addAll(other: FamilyBuilder): this {
    other.merged = true;
    for (const [name, f] of other.byName) {
      let mine = this.byName.get(name);
      if (!mine) {
        mine = { help: f.help, type: f.type, samples: [] };
        this.byName.set(name, mine);
      }
      mine.samples.push(...f.samples);
    }
    return this;
  }

  /**
   * Adds one device's samples all or nothing: `add` fills a scratch builder, whose samples are
   * kept only when it returns. When it throws an error `vanished` accepts (the device went away
   * between listing and reading), nothing is added and the error is returned; other errors
   * propagate.
   */
  addDevice(add: (one: FamilyBuilder) => void, vanished: (e: unknown) => boolean): unknown {
    const one = new FamilyBuilder(true);
    try {
      add(one);
    } catch (e) {
      if (!vanished(e)) throw e;
      return e ?? new Error('vanished');
    }
    this.addAll(one);
    return undefined;
  }

  /** Returns whether addAll has taken this builder's samples into another. */
  isMerged(): boolean {
    return this.merged;
  }

  /** Returns the families built so far. */
  families(): MetricFamily[] {
    const out: MetricFamily[] = [];
    for (const [name, f] of this.byName) if (f.samples.length > 0) out.push({ name, help: f.help, type: f.type, samples: f.samples });
    return out;
  }
}

let recording: FamilyBuilder[] | undefined;

/**
 * Runs `run` (a synchronous collector) and returns its value, or, when it throws, the error and
 * the families the builders made meanwhile hold (a builder merged into another counts once, a
 * device added with addDevice only when its add returned): what the collector had emitted had it
 * emitted as it went. node_exporter keeps what a collector sent before it failed, too.
 */
export function recordBuilders<T>(run: () => T): { readonly value: T } | { readonly error: unknown; readonly families: MetricFamily[] } {
  const outer = recording;
  const made: FamilyBuilder[] = [];
  recording = made;
  try {
    return { value: run() };
  } catch (error) {
    return { error, families: made.filter((b) => !b.isMerged()).flatMap((b) => b.families()) };
  } finally {
    recording = outer;
  }
}
