/** YAML streams to check readers on: the functions' test data, the bundled example, kube-prometheus when present. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedFixture } from './shared-fixtures.js';

const root = join(import.meta.dirname, '..', '..');

/** Paths of YAML stream files, project fixtures first. */
export function streamFiles(): string[] {
  const files: string[] = [];
  const functions = join(root, 'functions');
  for (const fn of readdirSync(functions)) {
    const testdata = join(functions, fn, 'testdata');
    if (!existsSync(testdata)) continue;
    for (const c of readdirSync(testdata)) files.push(join(testdata, c, 'resources.yaml'));
  }
  for (const file of readdirSync(join(root, 'pipelines', 'example'))) {
    if (file.endsWith('.yaml')) files.push(join(root, 'pipelines', 'example', file));
  }
  const realWorld = sharedFixture(
    'kube-prometheus/manifests',
    'the kube-prometheus part of the reader corpus',
  );
  if (realWorld) {
    for (const file of readdirSync(realWorld)) if (file.endsWith('.yaml')) files.push(join(realWorld, file));
  }
  return files.filter((file) => existsSync(file));
}

/** Every YAML file of ../shared/fixtures/real-world (kube-prometheus, Istio's samples, ama-metrics), when present. */
export function realWorldFiles(reader: string): string[] {
  const top = sharedFixture('', reader);
  if (!top) return [];
  const under = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return under(path);
      return /\.ya?ml$/.test(entry.name) ? [path] : [];
    });
  return under(top);
}
