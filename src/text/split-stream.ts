/**
 * Cuts a plain multi-document YAML stream (legacy kustomize plugins, Helm post-renderers) at `---` lines, with the
 * same guards as the ResourceList splitter; undefined hands the stream to the full parser.
 */
import { LineChecker } from './line-check.js';
import { indentOf, isTrivia, toLines } from './lines.js';
import { unsplittable } from './split-guards.js';

/** One document of a plain YAML stream. */
export interface StreamDocument {
  leading: string[];
  lines: string[];
}

/** Cuts a plain multi-document stream at `---` lines; undefined when only the full parser can read it. */
export function splitStream(text: string): { documents: StreamDocument[]; trailing: string[] } | undefined {
  // Tabs too: stream documents are cut on their own, without the items' column checks.
  if (unsplittable(text) || text.includes('\t')) return undefined;
  const documents: StreamDocument[] = [];
  let pending: string[] = [];
  let lines: string[] = [];
  const flush = (): void => {
    if (lines.some((l) => !isTrivia(l))) {
      documents.push({ leading: pending, lines });
      pending = [];
    } else {
      pending.push(...lines);
    }
    lines = [];
  };
  let checker = new LineChecker();
  for (const line of toLines(text)) {
    if (line.startsWith('---')) {
      if (line.slice(3).trim() !== '') return undefined;
      flush();
      checker = new LineChecker();
      continue;
    }
    if (checker.inBlockScalar(line)) {
      lines.push(line);
      continue;
    }
    if (!isTrivia(line) && !checker.accept(line, indentOf(line))) return undefined;
    if (lines.length === 0 && !isTrivia(line) && indentOf(line) !== 0) return undefined;
    const first = line.trimStart()[0];
    if (lines.every(isTrivia) && !isTrivia(line) && (first === '{' || first === '[' || first === '-'))
      return undefined;
    lines.push(line);
  }
  flush();
  return { documents, trailing: pending };
}
