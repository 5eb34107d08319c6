/** Lines of YAML text as the line readers see them: indentation, trivia, where lines start. */

/** Column of the first non-space character, or -1 for a blank line. */
export function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 32) i++;
  return i === line.length ? -1 : i;
}

/**
 * The first line of a sequence entry with its `-` made a space, so every column keeps its place: `- # note` then
 * reads as the comment it is, where cutting the entry's key columns off would leave part of the comment. Lines of
 * a stream document (`indent` 0) have no marker.
 */
export function entryLine(line: string, indent: number): string {
  if (indent <= 0) return line;
  const dash = indentOf(line);
  return dash >= 0 && line.charCodeAt(dash) === 45 ? `${line.slice(0, dash)} ${line.slice(dash + 1)}` : line;
}

/** True for blank lines and lines holding only a comment. */
export function isTrivia(line: string): boolean {
  const col = indentOf(line);
  return col < 0 || line.charCodeAt(col) === 35; /* # */
}

/** Splits a YAML stream's text into lines, ignoring one final newline. */
export function toLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Offsets where the lines of text[0, end) start, cut as `split('\n')` cuts, then end + 1: line i is
 * text[starts[i], starts[i + 1] - 1). Offsets rather than strings: most lines of a large input are never looked at
 * one by one, and a string per line costs its allocation and then the garbage collector's time.
 */
export function lineStarts(text: string, end: number): Int32Array {
  // Room for lines of 16 characters on average (YAML lines are longer): growing copies the array.
  let starts: Int32Array = new Int32Array((end >> 4) + 2);
  let count = 1; // the first line starts at 0
  for (let at = text.indexOf('\n'); ; at = text.indexOf('\n', at + 1)) {
    if (count === starts.length) starts = grow(starts);
    if (at < 0 || at >= end) {
      starts[count++] = end + 1;
      return starts.subarray(0, count);
    }
    starts[count++] = at + 1;
  }
}

function grow(array: Int32Array): Int32Array {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}
