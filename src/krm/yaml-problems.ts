/**
 * The `yaml` package's parse errors in words a user can act on: its messages name neither the key nor the line
 * (prettyErrors is off, it would quote the input), and its multi-document hint names one of its own functions.
 */
import { parseAllDocuments, type YAMLError } from 'yaml';
import { parseOptions } from './yaml-options.js';

/** Line number (from 1) of `offset` in `text`. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/** The message for one parse error of `text`; `of` names the part of the input `text` is, when it is one. */
export function yamlErrorMessage(problem: YAMLError, text: string, of?: string): string {
  const [start] = problem.pos;
  if (problem.code === 'DUPLICATE_KEY') {
    // pos is where the second occurrence of the key starts; the key ends at its colon.
    const line = text.slice(start, text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start));
    const key = line.replace(/\s*:.*$/, '');
    return `the key ${key} appears twice in one mapping (line ${lineOf(text, start)}${of ? ` of ${of}` : ''})`;
  }
  return problem.message;
}

/** Whether the errors say the text holds more than one document. */
export const holdsSeveralDocuments = (errors: readonly YAMLError[]): boolean =>
  errors.some((e) => e.code === 'MULTIPLE_DOCS');

/** The message for a ResourceList input that holds several documents. */
export function severalDocumentsMessage(text: string): string {
  const count = parseAllDocuments(text, parseOptions);
  const n = Array.isArray(count) ? count.length : 0;
  return `the input holds ${n} YAML documents; a KRM function reads exactly one ResourceList`;
}
