/** One resource of a ResourceList or stream: original text kept, parsed only when a function needs it. */
import { Document, isMap, parseDocument, type YAMLError, type YAMLMap } from 'yaml';
import { type ItemLines, itemLines } from '../text/item-lines.js';
import type { Json, Resource } from '../text/json.js';
import { isTrivia } from '../text/lines.js';
import { headerLabel, readHeader } from '../text/read-header.js';
import { digPath, fallback, readPath } from '../text/read-path.js';
import { dedent, indentAsEntry } from '../text/reindent.js';
import { boundsProblem } from './bounded-parse.js';
import { inlineAliases } from './inline-aliases.js';
import { parseBlock } from './parse-block.js';
import type { ResourceRef } from './results.js';
import { parseOptions, stringifyOptions } from './yaml-options.js';
import { yamlErrorMessage } from './yaml-problems.js';

export type { Json, Resource } from '../text/json.js';

/** Where an item came from, so an untouched item can be written back as its original text. */
interface Source {
  /** The item's own lines as in the input, joined (from a ResourceList: a slice of the input, not a copy). */
  text: string;
  /** Column of the item's keys (2 for `- apiVersion: ...` at column 0, 0 in a plain stream). */
  indent: number;
  /** The text cut into lines, once something needs them (most items are only passed through). */
  lines?: readonly string[];
  /** The text prepared for reads by path, once the first read comes. */
  readable?: ItemLines;
}

function linesOf(source: Source): readonly string[] {
  source.lines ??= source.text.split('\n');
  return source.lines;
}

function readableOf(source: Source): ItemLines {
  source.readable ??= itemLines(source.text, source.indent);
  return source.readable;
}

const identityAnnotations = ['config.kubernetes.io/path', 'internal.config.kubernetes.io/path'];

/**
 * Thrown by `Item.node` for an item that cannot be edited: the run sets the item aside (passed through unchanged,
 * reported) and runs the function again on the rest.
 */
export class MalformedItem extends Error {
  constructor(
    readonly item: Item,
    readonly reason: string,
    /** The `yaml` error code (`DUPLICATE_KEY` for a key given twice). */
    readonly code: string | undefined,
  ) {
    super(`resource ${item.describe()} has malformed YAML: ${reason}`);
  }
}

/**
 * One resource. `node` parses it on first use; `data` is a plain snapshot of the input state.
 *
 * A text-backed item can only be edited through the mapping `node` hands out, so until then its content is the
 * input's: the JSON of that state is taken only when `node` is first handed out, and an item only read through
 * `data` does not keep its Document (it is parsed again if `node` is asked for later).
 */
export class Item {
  private source: Source | undefined;
  private document: Document | undefined;
  /** JSON of the input state, for `changed`; undefined for a created item (always changed). */
  private original: string | undefined;
  private snapshot: Resource | undefined;
  /** Values read by path before the item was parsed. */
  private reads: { path: readonly string[]; value: Json | undefined }[] | undefined;
  /** True once the Document may have been edited: `node` was handed out, or the document came from outside. */
  private exposed = false;
  /** Whether the parsed input is a mapping (its plain data an object); `data` is `{}` when it is not. */
  private inputIsResource = true;
  private header:
    | { apiVersion: string; kind: string; name: string; namespace: string | undefined }
    | undefined;
  /** Why the item's content is refused (a bound of README's "Limits"): it is then passed through unread. */
  private refusalReason: string | undefined;
  /** Whether header and block reads may scan the text lines (only for text the line splitter vetted). */
  private lineReads = true;
  /** Text lines (comments, blank lines) that stood before this item in the input, written back before it. */
  leading: readonly string[] = [];
  /** True for resources a function created in this run. */
  readonly generated: boolean;

  private constructor(source: Source | undefined, document: Document | undefined, generated: boolean) {
    this.source = source;
    this.document = document;
    this.generated = generated;
    if (document) {
      this.snapshot = snapshotOf(document);
      this.original = JSON.stringify(this.snapshot);
      this.exposed = true;
    }
  }

  /** An item backed by input text (its lines joined); nothing is parsed yet. */
  static fromText(text: string, indent: number): Item {
    return new Item({ text, indent }, undefined, false);
  }

  /**
   * An item the full parser found, kept as its input text for output but read only through the parser: its text
   * may hold what the line readers do not handle (tabs as separators, say), which is why the parser ran.
   */
  static fromParsedText(text: string, indent: number): Item {
    const item = new Item({ text, indent }, undefined, false);
    item.lineReads = false;
    return item;
  }

  /**
   * An item whose content crosses a bound (README, "Limits"): written back as its text, never turned into data.
   * Functions see no kind or name (so none edits it); `describe` and `ref` still name it from its header lines.
   */
  static refused(text: string, indent: number, reason: string): Item {
    const item = new Item({ text, indent }, undefined, false);
    item.refuse(reason);
    return item;
  }

  /** Why the item is refused, or undefined when it is not. */
  get refusal(): string | undefined {
    return this.refusalReason;
  }

  private refuse(reason: string): void {
    this.refusalReason = reason;
    this.document = new Document(null, parseOptions);
    this.snapshot = {};
    this.inputIsResource = true;
    this.exposed = false;
    this.header = { apiVersion: '', kind: '', name: '', namespace: undefined };
  }

  /** An item backed by an already parsed document (the slow path, or a stream document). */
  static fromDocument(document: Document): Item {
    return new Item(undefined, document, false);
  }

  /** A resource created by a function. */
  static create(resource: Resource): Item {
    const document = new Document(resource, parseOptions);
    const item = new Item(undefined, document, true);
    item.original = undefined;
    return item;
  }

  private parse(): Document {
    return this.document ?? this.parseSource().document;
  }

  /** Parses the source text into the item's Document; gives the plain data of that input state too. */
  private parseSource(): { document: Document; data: Resource } {
    const source = this.source as Source;
    const text = dedent(linesOf(source), source.indent);
    const document = parseDocument(text, parseOptions);
    // Bounds before toJS: an alias bomb would expand here.
    const problem = boundsProblem(document, text.length);
    if (problem) {
      this.refuse(problem);
      return { document: this.document as Document, data: {} };
    }
    let data: unknown;
    try {
      data = document.toJS({ maxAliasCount: -1 }) as unknown;
    } catch (e) {
      // An alias whose anchor is not where the parser looks (inside a scalar, or in another item).
      this.refuse(`its YAML cannot be read: ${(e as Error).message}`);
      return { document: this.document as Document, data: {} };
    }
    this.document = document;
    this.inputIsResource = isResource(data);
    const resource = isResource(data) ? data : {};
    // Parsing the same text again (after a release) gives the same data: keep the snapshot callers may hold.
    if (!this.snapshot) this.snapshot = resource;
    return { document, data: resource };
  }

  /**
   * A scalar at a key path as the item is now: edits through `node` included (`read` gives the input state). For
   * checks of what a function hands back.
   */
  readNow(path: readonly string[]): Json | undefined {
    if (!this.document || !this.exposed) return this.read(path);
    const value = this.document.getIn(path, false) as unknown;
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? value
      : undefined;
  }

  /** The item's text as it came in (its own lines, at their input indentation); undefined for a parsed one. */
  get inputText(): string | undefined {
    return this.source?.text;
  }

  /** YAML parse errors of this item (the resource is then left as it was). */
  get parseErrors(): readonly string[] {
    return this.parse().errors.map((e) => e.message);
  }

  /** The resource's root mapping, for editing; parses the item on first use. */
  get node(): YAMLMap<unknown, unknown> {
    // Parsed just now, its data has not been handed to anyone yet: its JSON is the input state's (no second toJS).
    const fresh = this.document ? undefined : this.parseSource();
    const document = fresh?.document ?? this.parse();
    const contents = document.contents;
    if (this.refusalReason) throw new MalformedItem(this, this.refusalReason, 'REFUSED');
    if (document.errors.length > 0) {
      const first = document.errors[0] as YAMLError;
      const text = this.source ? dedent(linesOf(this.source), this.source.indent) : document.toString();
      throw new MalformedItem(this, yamlErrorMessage(first, text, 'the resource'), first.code);
    }
    if (!isMap(contents)) throw new MalformedItem(this, 'not a YAML mapping', undefined);
    if (!this.exposed) {
      // An edit may delete the node an alias points at (an annotation holding the anchor, say): the Document
      // handed out for editing has its aliases inlined. The data is the same, so an unedited item keeps its text.
      if (this.source?.text.includes('*')) inlineAliases(document);
      // Not edited yet (only `node` allows that): this is the input state.
      this.original = JSON.stringify(fresh ? fresh.data : snapshotOf(document));
      this.exposed = true;
    }
    return contents;
  }

  /** Forgets edits of a text-backed item, so it is written as it came in. */
  revert(): void {
    if (!this.source || this.refusalReason) return;
    this.document = undefined;
    this.snapshot = undefined;
    this.original = undefined;
    this.exposed = false;
  }

  /** True when the item is a YAML mapping, as every Kubernetes resource is. */
  get isMapping(): boolean {
    const document = this.parse();
    return document.errors.length === 0 && isMap(document.contents);
  }

  /** A plain snapshot of the resource as it came in (edits through `node` do not show here). */
  get data(): Resource {
    if (!this.snapshot) {
      this.parse();
      // Nothing can have edited the Document: let it go, the snapshot is all `data` needs. (A non-mapping
      // input counts as changed, see `changed`, and is rendered from its Document: that one is kept.)
      if (this.source && !this.exposed && this.inputIsResource) this.document = undefined;
    }
    return this.snapshot as Resource;
  }

  /**
   * One value of the input state, by key path (`*` steps collect from every list entry). Reads only the lines of
   * that block while the item is unparsed: the Inventory reads labels and selectors of many large resources.
   */
  read(path: readonly string[]): Json | undefined {
    if (this.snapshot || !this.source || !this.lineReads) return digPath(this.data, path);
    // An item is read at a few paths, many times over (labels of a Service, once per monitor): a short list
    // compared step by step costs less than building and hashing a key each time.
    this.reads ??= [];
    for (const read of this.reads) if (samePath(read.path, path)) return read.value;
    const value = readPath(readableOf(this.source), this.source.indent, path, parseBlock);
    const result = value === fallback ? digPath(this.data, path) : value;
    this.reads.push({ path: [...path], value: result });
    return result;
  }

  private identity(): { apiVersion: string; kind: string; name: string; namespace: string | undefined } {
    if (this.header) return this.header;
    // Headers are read from text only before the item is parsed (a released Document still counts as parsed).
    if (this.source && !this.snapshot && this.lineReads) {
      const h = readHeader(this.source.text, this.source.indent);
      if (h.simple && h.kind !== undefined) {
        this.header = {
          apiVersion: h.apiVersion ?? '',
          kind: h.kind,
          name: h.name ?? '',
          namespace: h.namespace,
        };
        return this.header;
      }
    }
    const data = this.parse().errors.length > 0 ? {} : this.data;
    const metadata = asObject(data.metadata);
    this.header = {
      apiVersion: str(data.apiVersion),
      kind: str(data.kind),
      name: str(metadata?.name),
      namespace: typeof metadata?.namespace === 'string' ? metadata.namespace : undefined,
    };
    return this.header;
  }

  get apiVersion(): string {
    return this.identity().apiVersion;
  }
  get kind(): string {
    return this.identity().kind;
  }
  get name(): string {
    return this.identity().name;
  }
  get namespace(): string | undefined {
    return this.identity().namespace;
  }
  /** API group of the resource ('' for the core group). */
  get group(): string {
    const apiVersion = this.apiVersion;
    const slash = apiVersion.indexOf('/');
    return slash < 0 ? '' : apiVersion.slice(0, slash);
  }

  /** `Kind/namespace/name` from the header lines of a refused item, when they show it; '' otherwise. */
  private textLabel(): string {
    return this.source ? headerLabel(this.source.text, this.source.indent) : '';
  }

  /** The reference a result about this item carries. */
  get ref(): ResourceRef {
    const ref: ResourceRef = { apiVersion: this.apiVersion, kind: this.kind, name: this.name };
    if (this.namespace !== undefined) ref.namespace = this.namespace;
    return ref;
  }

  /** The file the orchestrator said this item came from, if it said. */
  get file(): { path: string; index?: number } | undefined {
    const annotations = asObject(asObject(this.data.metadata)?.annotations);
    for (const key of identityAnnotations) {
      const path = annotations?.[key];
      if (typeof path === 'string') {
        const indexText =
          annotations?.[key.replace('/path', '/index')] ?? annotations?.['config.kubernetes.io/index'];
        const index = Number(indexText ?? Number.NaN);
        return Number.isInteger(index) ? { path, index } : { path };
      }
    }
    return undefined;
  }

  /** `Kind/namespace/name`, for messages. */
  describe(): string {
    if (this.refusalReason) return this.textLabel();
    return `${this.kind}/${this.namespace ? `${this.namespace}/` : ''}${this.name}`;
  }

  /** True when the item was parsed and its content differs from the input. */
  get changed(): boolean {
    if (!this.document || this.refusalReason) return false;
    // Not edited: the content is the input's, which differs from its snapshot only when that is not a mapping.
    if (!this.exposed) return !this.inputIsResource;
    if (this.original === undefined) return true;
    return JSON.stringify(this.document.toJS({ maxAliasCount: -1 })) !== this.original;
  }

  private render(): string {
    const document = this.document as Document;
    return document.toString(stringifyOptions(this.indentSeq()));
  }

  /** Keeps the sequence style the item was written in (kpt and kustomize write `- ` at the key's column). */
  private indentSeq(): boolean {
    if (!this.source) return false;
    const lines = linesOf(this.source);
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const trimmed = line.trimStart();
      if (!trimmed.startsWith('- ') && trimmed !== '-') continue;
      // The key the list belongs to, past comment and blank lines in between.
      let k = i - 1;
      while (k > 0 && isTrivia(lines[k] as string)) k--;
      const previous = lines[k] as string;
      const prevTrimmed = previous.trimStart();
      if (!prevTrimmed.endsWith(':') || prevTrimmed.startsWith('#') || prevTrimmed.startsWith('- ')) continue;
      return line.length - trimmed.length > previous.length - prevTrimmed.length;
    }
    return false;
  }

  /** The item as a sequence entry at column `seqIndent` (ResourceList form). */
  toEntry(seqIndent: number): string {
    const source = this.source;
    // `changed` compares the whole content (toJS and JSON): ask once.
    const unchanged = source !== undefined && !this.changed;
    if (source && unchanged && source.indent === seqIndent + 2) return source.text;
    if (source && unchanged) return indentAsEntry(dedent(linesOf(source), source.indent), seqIndent);
    return indentAsEntry(this.render(), seqIndent);
  }

  /** The item as a document of a plain YAML stream, without the `---` separator. */
  toDocument(): string {
    const source = this.source;
    if (source && !this.changed) {
      const text = source.indent === 0 ? source.text : dedent(linesOf(source), source.indent);
      return text.endsWith('\n') ? text : `${text}\n`;
    }
    return this.render();
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The document as plain data; `{}` when it is not a mapping. */
function snapshotOf(document: Document): Resource {
  const data = document.toJS({ maxAliasCount: -1 }) as unknown;
  return isResource(data) ? data : {};
}

function isResource(value: unknown): value is Resource {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as an object, or undefined when it is not one. */
export function asObject(value: unknown): { [key: string]: Json } | undefined {
  return isResource(value) ? value : undefined;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
