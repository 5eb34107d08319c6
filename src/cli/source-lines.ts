/**
 * Where each resource `validate` read sits in the files it read (file and line), for SARIF locations: code
 * scanning shows a finding on the line of its resource. Read again from the files (the readers keep no positions):
 * one manifest file, or a plain application directory's files; a kustomization's build output has no file of its
 * own, so its resources point at the kustomization.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, LineCounter, parseAllDocuments, type YAMLMap } from 'yaml';
import { type Item, parseOptions } from '../krm/index.js';
import { readAppFiles } from './app-files.js';
import { pipelineFile } from './app-manifests.js';
import { inputLimits } from './input-limits.js';

/** A place in a file: its path as given (relative to the working directory) and a 1-based line. */
export interface SourceLine {
  uri: string;
  line: number | undefined;
}

const keyOf = (kind: string, namespace: string | undefined, name: string): string =>
  `${kind}/${namespace ?? ''}/${name}`;

/** The resource identity of a YAML map, if it has one. */
function identity(map: YAMLMap): string | undefined {
  const kind = map.get('kind');
  const metadata = map.get('metadata');
  const name = isMap(metadata) ? metadata.get('name') : undefined;
  const namespace = isMap(metadata) ? metadata.get('namespace') : undefined;
  if (typeof kind !== 'string' || typeof name !== 'string') return undefined;
  return keyOf(kind, typeof namespace === 'string' ? namespace : undefined, name);
}

/** Records the line of every resource of one file (the items of a List, each where it starts). */
function locate(uri: string, text: string, into: Map<string, SourceLine>): void {
  const lines = new LineCounter();
  for (const document of parseAllDocuments(text, { ...parseOptions, lineCounter: lines })) {
    const contents = document.contents;
    if (!isMap(contents)) continue;
    const items = contents.get('items');
    const maps =
      String(contents.get('kind') ?? '').endsWith('List') && isSeq(items) ? items.items : [contents];
    for (const map of maps) {
      if (!isMap(map)) continue;
      const key = identity(map);
      if (key && !into.has(key)) into.set(key, { uri, line: lines.linePos(map.range?.[0] ?? 0).line });
    }
  }
}

/** The source lines of what `validate` read from `path`, and where resources without a line point. */
export function sourceLines(path: string | undefined): {
  lines: Map<string, SourceLine>;
  fallback: string | undefined;
} {
  const lines = new Map<string, SourceLine>();
  if (path === undefined || path === '-') return { lines, fallback: undefined };
  let directory = false;
  try {
    directory = statSync(path).isDirectory();
  } catch {
    return { lines, fallback: undefined };
  }
  if (!directory) {
    locate(path, readFileSync(path, 'utf8'), lines);
    return { lines, fallback: path };
  }
  const kustomization = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].find((f) =>
    existsSync(join(path, f)),
  );
  if (kustomization) return { lines, fallback: join(path, kustomization) };
  const files = readAppFiles(path, inputLimits(), (p) => p === pipelineFile);
  if (files.ok) for (const file of files.value) locate(join(path, file.path), file.text, lines);
  return { lines, fallback: path };
}

/** The source line of one item, if the files show it. */
export const lineOf = (lines: ReadonlyMap<string, SourceLine>, item: Item): SourceLine | undefined =>
  lines.get(keyOf(item.kind, item.namespace, item.name));
