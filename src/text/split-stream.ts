/**
 * Cuts a plain multi-document YAML stream (legacy kustomize plugins, Helm post-renderers) at `---` lines, with the
 * same guards as the ResourceList splitter; undefined hands the stream to the full parser.
 */
import { LineChecker } from './line-check.js';
import { indentOf, isTrivia, toLines } from './lines.js';
import { anchorsOf, unsplittable } from './split-guards.js';
import { pastIndentation, tabRule } from './tab-rule.js';

/** One document of a plain YAML stream. */
export interface StreamDocument {
  leading: string[];
  lines: string[];
  /** True when the document holds a tab (tab-rule.ts): it is read through the parser, alone. */
  tabbed: boolean;
  /** True when it holds an anchor or alias: read through the parser, alone (anchors never reach across documents). */
  anchored: boolean;
}

/** Blank or comment-only, with tabs counted as the blanks the parser takes them for there. */
const isTabbedTrivia = (line: string): boolean => {
  const at = pastIndentation(line, 0, line.length);
  return at === line.length || line.charCodeAt(at) === 35; /* # */
};

/** Cuts a plain multi-document stream at `---` lines; undefined when only the full parser can read it. */
export function splitStream(text: string): { documents: StreamDocument[]; trailing: string[] } | undefined {
  // Anchors are per document in YAML: a document holding one is read alone by the parser, the rest by lines.
  if (unsplittable(text, { anchors: 'allow' })) return undefined;
  // One look at the whole input spares the tab rule on every line in the usual case, a stream without tabs.
  const hasTabs = text.includes('\t');
  const documents: StreamDocument[] = [];
  let pending: string[] = [];
  let lines: string[] = [];
  // Whether the lines since the last `---` hold anything but trivia, and a tab.
  let holdsContent = false;
  let tabbed = false;
  const flush = (): void => {
    if (holdsContent) {
      const anchored = anchorsOf(lines.join('\n')) !== 'none';
      documents.push({ leading: pending, lines, tabbed, anchored });
      pending = [];
    } else {
      pending.push(...lines);
    }
    lines = [];
    holdsContent = false;
    tabbed = false;
  };
  let checker = new LineChecker();
  for (const line of toLines(text)) {
    if (line.startsWith('---')) {
      if (line.slice(3).trim() !== '') return undefined;
      flush();
      checker = new LineChecker();
      continue;
    }
    // A document's content column is 0: no tab stands left of it, so a tab only makes its document read alone.
    const tab = hasTabs && tabRule(line, 0, line.length, 0) === 'alone';
    if (tab) tabbed = true;
    if (checker.inBlockScalar(line)) {
      lines.push(line);
      continue;
    }
    const trivia = isTrivia(line) || (tab && isTabbedTrivia(line));
    if (!trivia) {
      // The line checks read from the line's content: past a tab in its indentation too.
      if (!checker.accept(line, tab ? pastIndentation(line, 0, line.length) : indentOf(line)))
        return undefined;
      if (lines.length === 0 && indentOf(line) !== 0) return undefined;
      const first = line.trimStart()[0];
      if (!holdsContent && (first === '{' || first === '[' || first === '-')) return undefined;
      holdsContent = true;
    }
    lines.push(line);
  }
  flush();
  return { documents, trailing: pending };
}
