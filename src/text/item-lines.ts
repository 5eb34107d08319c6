/** An item's text as lines for the path reader, measured once. */
import { entryLine, indentOf, lineStarts } from './lines.js';

/** The lines of one item, for walking by indentation without cutting every line out of the item's text. */
export interface ItemLines {
  readonly length: number;
  /** Line i as a string. */
  get(i: number): string;
  /** Column of the first non-space character of line i; -1 when the line is blank. */
  indent(i: number): number;
  /** Character code at column `col` of line i; NaN past the line's end. */
  code(i: number, col: number): number;
  /** Whether line i holds `text` at column `col`. */
  holds(i: number, text: string, col: number): boolean;
}

/** An item's text as lines (cut as `split('\n')` cuts): offsets and indentation measured once, in one pass. */
class TextLines implements ItemLines {
  private readonly starts: Int32Array;
  private readonly indents: Int32Array;
  readonly length: number;

  constructor(private readonly text: string) {
    this.starts = lineStarts(text, text.length);
    this.length = this.starts.length - 1;
    this.indents = new Int32Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const from = this.start(i);
      const to = this.end(i);
      let at = from;
      while (at < to && text.charCodeAt(at) === 32) at++;
      this.indents[i] = at === to ? -1 : at - from;
    }
  }

  private start(i: number): number {
    return this.starts[i] as number;
  }

  private end(i: number): number {
    return (this.starts[i + 1] as number) - 1;
  }

  get(i: number): string {
    return this.text.slice(this.start(i), this.end(i));
  }

  indent(i: number): number {
    return this.indents[i] as number;
  }

  code(i: number, col: number): number {
    const at = this.start(i) + col;
    return col < 0 || at >= this.end(i) ? Number.NaN : this.text.charCodeAt(at);
  }

  holds(i: number, text: string, col: number): boolean {
    const at = this.start(i) + col;
    return col >= 0 && at + text.length <= this.end(i) && this.text.startsWith(text, at);
  }
}

/** Other lines with line `at` read as `line`: a sequence entry's first line with its `- ` turned into spaces. */
export class WithLine implements ItemLines {
  private readonly lineIndent: number;
  readonly length: number;

  constructor(
    private readonly lines: ItemLines,
    private readonly at: number,
    private readonly line: string,
  ) {
    this.lineIndent = indentOf(line);
    this.length = lines.length;
  }

  get(i: number): string {
    return i === this.at ? this.line : this.lines.get(i);
  }

  indent(i: number): number {
    return i === this.at ? this.lineIndent : this.lines.indent(i);
  }

  code(i: number, col: number): number {
    return i === this.at ? this.line.charCodeAt(col) : this.lines.code(i, col);
  }

  holds(i: number, text: string, col: number): boolean {
    return i === this.at ? this.line.startsWith(text, col) : this.lines.holds(i, text, col);
  }
}

/**
 * An item's text prepared for `readPath`, with the first line's sequence marker (`- `) turned into spaces. Keep
 * it for further reads of the same item: it measures every line once.
 */
export function itemLines(text: string, indent: number): ItemLines {
  const lines = new TextLines(text);
  const first = lines.get(0);
  if (indent <= 0 || first.length < indent) return lines;
  return new WithLine(lines, 0, entryLine(first, indent));
}
