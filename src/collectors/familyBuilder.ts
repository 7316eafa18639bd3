import type { Labels, MetricFamily, Sample } from '../model/family';

/**
 * Collects samples into families by name, keeping the first help and type given for a
 * name; `families()` returns them in insertion order without empty ones.
 */
export class FamilyBuilder {
  private readonly byName = new Map<string, { help: string; type: MetricFamily['type']; samples: Sample[] }>();

  /** Adds one sample to family `name`, creating the family on first use. */
  add(name: string, help: string, type: MetricFamily['type'], labels: Labels, value: number): this {
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
  gauge(name: string, help: string, labels: Labels, value: number): this {
    return this.add(name, help, 'gauge', labels, value);
  }

  /** Adds a counter sample. */
  counter(name: string, help: string, labels: Labels, value: number): this {
    return this.add(name, help, 'counter', labels, value);
  }

  /** Adds an untyped sample. */
  untyped(name: string, help: string, labels: Labels, value: number): this {
    return this.add(name, help, 'untyped', labels, value);
  }

  /** Returns the families built so far. */
  families(): MetricFamily[] {
    const out: MetricFamily[] = [];
    for (const [name, f] of this.byName) if (f.samples.length > 0) out.push({ name, help: f.help, type: f.type, samples: f.samples });
    return out;
  }
}
