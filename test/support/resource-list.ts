/** Test helpers: build a ResourceList the way `kpt fn source` lays it out, from plain YAML files. */
import { readFileSync } from 'node:fs';

/** Splits a YAML stream into document texts (a test-side reader, independent of the code under test). */
export function documents(stream: string): string[] {
  return stream
    .split(/^---[ \t]*$/m)
    .map((d) => d.replace(/^\n+/, '').replace(/\s+$/, ''))
    .filter((d) => d.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('#')));
}

/** Indents a document as an item entry: `- ` on its first line, two spaces on the rest. */
export function asEntry(document: string): string {
  return document
    .split('\n')
    .map((line, i) => (i === 0 ? `- ${line}` : line === '' ? '' : `  ${line}`))
    .join('\n');
}

/** A ResourceList text with the given resources and functionConfig (both YAML text). */
export function resourceList(resources: string, functionConfig?: string): string {
  const items = documents(resources).map(asEntry);
  let text = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
  text += items.length > 0 ? `items:\n${items.join('\n')}\n` : 'items: []\n';
  if (functionConfig !== undefined && functionConfig.trim() !== '') {
    const body = documents(functionConfig)[0] ?? '';
    text += `functionConfig:\n${body
      .split('\n')
      .map((l) => (l === '' ? '' : `  ${l}`))
      .join('\n')}\n`;
  }
  return text;
}

/** Reads a file as UTF-8. */
export const read = (path: string): string => readFileSync(path, 'utf8');

/** The output without its results section (results are reports, not resources). */
export function withoutResults(output: string): string {
  // A JSON ResourceList (written for JSON input) has its results as the last member.
  if (output.trimStart().startsWith('{')) {
    const key = output.lastIndexOf('"results":');
    return key < 0 || output[key - 1] === '\\' ? output : output.slice(0, output.lastIndexOf(',', key));
  }
  const at = output.indexOf('\nresults:\n');
  return at < 0 ? output : output.slice(0, at + 1);
}
