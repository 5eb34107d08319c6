/** Moving one resource's lines between its place in a list and column 0, where it is parsed alone. */
import { entryLine, indentOf } from './lines.js';

/**
 * Removes `indent` columns from every line so one resource can be parsed on its own. The first line of a
 * sequence entry carries the `- ` marker in those columns (read as a space). Comment lines may sit at any column;
 * they lose only the spaces they have.
 */
export function dedent(lines: readonly string[], indent: number): string {
  const out: string[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = i === 0 ? entryLine(lines[0] as string, indent) : (lines[i] as string);
    const col = indentOf(line);
    // A blank line keeps what lies past the indent: inside a block scalar, spaces beyond its indentation are text.
    out[i] = col < 0 ? line.slice(Math.min(line.length, indent)) : line.slice(Math.min(col, indent));
  }
  return out.join('\n');
}

/** Adds the sequence-entry marker and indentation back to a resource rendered at column 0. */
export function indentAsEntry(text: string, seqIndent: number): string {
  const pad = ' '.repeat(seqIndent);
  const lines = text.replace(/\n$/, '').split('\n');
  return lines
    .map((line, i) => {
      if (i === 0) return `${pad}- ${line}`;
      return line === '' ? '' : `${pad}  ${line}`;
    })
    .join('\n');
}
