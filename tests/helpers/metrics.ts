import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** A scrape of /metrics, read with a Prometheus text-format parser (not prom-client's own output code). */
export class Scrape {
  private readonly families: ReturnType<typeof parsePrometheusTextFormat>;
  /**
   * The parser folds a histogram's label sets into one (its flattening keeps no labels), so a labelled
   * histogram's `_count`, `_sum` and `_bucket` series are also read as plain samples: the same text with
   * its histogram TYPE lines left out (there, each run of lines of one name is a family: they are merged).
   */
  private readonly series: ReturnType<typeof parsePrometheusTextFormat>;
  constructor(readonly text: string) {
    this.families = parsePrometheusTextFormat(text);
    this.series = parsePrometheusTextFormat(text.replace(/^# TYPE \S+ histogram\n/gm, ''));
  }

  family(name: string) {
    const typed = this.families.find((x) => x.name === name);
    const runs = this.series.filter((x) => x.name === name);
    const f = typed ?? (runs.length ? { ...runs[0], metrics: runs.flatMap((r) => r.metrics) } : undefined);
    if (!f) throw new Error(`no metric ${name} in the scrape:\n${this.text.slice(0, 2000)}`);
    return f;
  }

  /** The sample of `name` whose labels include `labels` (0 when there is none yet). */
  value(name: string, labels: Record<string, string> = {}): number {
    const sample = this.family(name).metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
    return Number(sample?.value ?? 0);
  }
}

/** GET /metrics of a server; throws unless it answers 200. */
export async function scrape(baseUrl: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const res = await fetch(`${baseUrl}/metrics`, { headers });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}: ${text}`);
  return new Scrape(text);
}
