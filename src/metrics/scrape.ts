/**
 * @module metrics/scrape: one scrape of `/api/metrics`: runs every database collector at once, attaches to
 * the registry the families that succeeded and detaches those that failed (their series disappear for
 * this scrape instead of showing stale or zero values), reports each family's success and time
 * (`esxi_scrape_collector_success`, `esxi_scrape_collector_duration_seconds`, after node_exporter's), then
 * renders the registry. Concurrent scrapes share one database pass.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { Collector } from './collector.js';

/**
 * Prepares the scrape of `registry`.
 * @returns `scrape()`: the exposition text (Prometheus text format 0.0.4).
 */
export function createScrape(registry: Registry, db: Db, collectors: readonly Collector[], logger: Logger) {
  const success = new Gauge<'collector'>({
    name: 'esxi_scrape_collector_success',
    help: 'Whether the family of metrics read from the database could be computed at this scrape (1) or not (0).',
    labelNames: ['collector'],
    registers: [registry],
  });
  const duration = new Gauge<'collector'>({
    name: 'esxi_scrape_collector_duration_seconds',
    help: 'Time in seconds the family of metrics took to compute from the database at this scrape.',
    labelNames: ['collector'],
    registers: [registry],
  });

  const attach = (collector: Collector, on: boolean) => {
    for (const [name, metric] of collector.metrics) {
      const present = registry.getSingleMetric(name) !== undefined;
      if (on && !present) registry.registerMetric(metric);
      if (!on && present) registry.removeSingleMetric(name);
    }
  };

  const runOne = async (collector: Collector) => {
    const start = performance.now();
    try {
      await collector.update(db);
      attach(collector, true);
      success.set({ collector: collector.name }, 1);
    } catch (err) {
      attach(collector, false);
      success.set({ collector: collector.name }, 0);
      logger.warn({ err, collector: collector.name }, 'metrics collector failed');
    }
    duration.set({ collector: collector.name }, (performance.now() - start) / 1000);
  };

  let inFlight: Promise<string> | null = null;
  return async function scrape(): Promise<string> {
    inFlight ??= (async () => {
      try {
        await Promise.all(collectors.map(runOne));
        return await registry.metrics();
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };
}
