/** The optional scrape class that hands the cert files to monitors that opt in (PodMonitors included). */

import { ensureMapPath, ensureSeq, type Item, type Result, warning } from '../krm/index.js';
import { certFiles } from './istio-certs.js';
import { addNamedEntry } from './named-entries.js';

/** A scrape class entry with the three cert files. */
export function scrapeClassEntry(
  name: string,
  isDefault: boolean,
  certDir: string,
): Record<string, unknown> & { name: string } {
  return {
    name,
    ...(isDefault ? { default: true } : {}),
    tlsConfig: { ...certFiles(certDir), insecureSkipVerify: true },
  };
}

/** Adds the class to `spec.scrapeClasses` once; warns when asked to make it the default. */
export function addScrapeClass(
  item: Item,
  scrapeClass: { name: string; default: boolean },
  certDir: string,
): Result[] {
  const spec = ensureMapPath(item.node, ['spec']);
  const classes = spec && ensureSeq(spec, 'scrapeClasses');
  const results: Result[] = [];
  if (!classes) return results;
  if (scrapeClass.default) {
    results.push(
      warning(
        `scrape class ${scrapeClass.name} is the default: Istio's client certs then go to every monitor of this Prometheus, kubelet and API-server monitors included`,
        { ref: item.ref, file: item.file, path: 'spec.scrapeClasses' },
      ),
    );
  }
  results.push(
    ...addNamedEntry(classes, scrapeClassEntry(scrapeClass.name, scrapeClass.default, certDir), item, [
      'spec',
      'scrapeClasses',
    ]),
  );
  return results;
}
