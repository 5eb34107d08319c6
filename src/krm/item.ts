/** One resource of a ResourceList or stream: original text kept, parsed only when a function needs it. */
import { Document, isMap, parseDocument, type YAMLError, type YAMLMap } from 'yaml';
import { type ItemLines, itemLines } from '../text/item-lines.js';
import type { Json, Resource } from '../text/json.js';
import { isTrivia } from '../text/lines.js';
import { readBlockMapping } from '../text/read-block.js';
import { headerLabel, readHeader } from '../text/read-header.js';
import { digPath, fallback, readPath } from '../text/read-path.js';
import { dedent, indentAsEntry } from '../text/reindent.js';
import { blockDocument } from './block-document.js';
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
  /** Whether header and block reads may scan the text lines (only for text the line splitter vetted). */
  lineReads: boolean;
  /** The text is a JSON object, its data read by `JSON.parse`: a Document is built from the data when asked. */
  json?: boolean;
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
 * Where an item stands between its input text and an edited Document. Every change of state is one of the
 * transitions in the "State" section of `Item`:
 *
 *   text --parse--> parsed --release--> released --parse--> parsed
 *   parsed --expose--> exposed;  text | parsed | released | exposed --revert--> text (text-backed items only)
 *   text | released --parse--> refused (a bound crossed, or an alias that cannot be followed)
 *
 * An item from a Document (`fromDocument`, `create`) starts exposed; `refused` starts refused.
 */
type ItemState =
  /** Not parsed: reads go to the text (or to the parser when the source may not be read by lines). */
  | { readonly kind: 'text' }
  /** Parsed, not handed out: the content is the input's. `isResource`: the parsed input is a mapping. */
  | {
      readonly kind: 'parsed';
      readonly document: Document;
      readonly snapshot: Resource;
      readonly isResource: boolean;
    }
  /** Read through `data`, its Document let go (parsed again if `node` is asked for). */
  | { readonly kind: 'released'; readonly snapshot: Resource }
  /**
   * The Document may have been edited: `node` was handed out, or it came from outside. `original` is the JSON of
   * the input state, for `changed`; undefined for a created item (always changed).
   */
  | {
      readonly kind: 'exposed';
      readonly document: Document;
      readonly snapshot: Resource;
      readonly original: string | undefined;
    }
  /** Content crossing a bound (README, "Limits"): passed through as its text, read as an empty Document. */
  | {
      readonly kind: 'refused';
      readonly reason: string;
      readonly document: Document;
      readonly snapshot: Resource;
    };

/** The state of every item not parsed yet: one object for all of them, so an untouched item costs nothing more. */
const unparsed: ItemState = Object.freeze({ kind: 'text' });

type Identity = { apiVersion: string; kind: string; name: string; namespace: string | undefined };
const noIdentity: Identity = Object.freeze({ apiVersion: '', kind: '', name: '', namespace: undefined });

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
  private readonly source: Source | undefined;
  private state: ItemState;
  /** Values read by path before the item was parsed. */
  private reads: { path: readonly string[]; value: Json | undefined }[] | undefined;
  private header: Identity | undefined;
  /** The block reader read the whole item: its text is valid YAML in the subset. */
  private vouched = false;
  /** Text lines (comments, blank lines) that stood before this item in the input, written back before it. */
  leading: readonly string[] = [];
  /** True for resources a function created in this run. */
  readonly generated: boolean;

  private constructor(source: Source | undefined, state: ItemState, generated: boolean) {
    this.source = source;
    this.state = state;
    this.generated = generated;
  }

  /** An item backed by input text (its lines joined); nothing is parsed yet. */
  static fromText(text: string, indent: number): Item {
    return new Item({ text, indent, lineReads: true }, unparsed, false);
  }

  /**
   * An item the full parser found, kept as its input text for output but read only through the parser: its text
   * may hold what the line readers do not handle (tabs as separators, say), which is why the parser ran.
   */
  static fromParsedText(text: string, indent: number): Item {
    return new Item({ text, indent, lineReads: false }, unparsed, false);
  }

  /**
   * An item whose content crosses a bound (README, "Limits"): written back as its text, never turned into data.
   * Functions see no kind or name (so none edits it); `describe` and `ref` still name it from its header lines.
   */
  static refused(text: string, indent: number, reason: string): Item {
    return new Item({ text, indent, lineReads: true }, refusedState(reason), false);
  }

  /**
   * An item of a JSON input: its text (a JSON object, written back as it is while unchanged) and the data
   * `JSON.parse` read from it. Nothing is parsed as YAML: a Document is built from the data when `node` is asked.
   */
  static fromJson(text: string, data: Resource): Item {
    return new Item(
      { text, indent: 0, lineReads: false, json: true },
      { kind: 'released', snapshot: data },
      false,
    );
  }

  /** An item backed by an already parsed document (the slow path, or a stream document). */
  static fromDocument(document: Document): Item {
    const snapshot = snapshotOf(document);
    return new Item(
      undefined,
      { kind: 'exposed', document, snapshot, original: JSON.stringify(snapshot) },
      false,
    );
  }

  /** A resource created by a function. */
  static create(resource: Resource): Item {
    const document = new Document(resource, parseOptions);
    const snapshot = snapshotOf(document);
    return new Item(undefined, { kind: 'exposed', document, snapshot, original: undefined }, true);
  }

  /** Why the item is refused, or undefined when it is not. */
  get refusal(): string | undefined {
    return this.state.kind === 'refused' ? this.state.reason : undefined;
  }

  // State: every transition of `state` is here.

  /** text | released -> parsed | refused: parses the source text; gives the plain data of that input state too. */
  private parseSource(): { document: Document; data: Resource } {
    const source = this.source as Source;
    if (source.json && this.state.kind === 'released') {
      // JSON has no aliases, tags or comments: the Document made from the data is the one parsing would give.
      const snapshot = this.state.snapshot;
      const document = new Document(snapshot, parseOptions);
      this.state = { kind: 'parsed', document, snapshot, isResource: true };
      return { document, data: snapshot };
    }
    // Items written in the block subset without comments (most edited ones) get their Document from the lines.
    const built = source.lineReads ? blockDocument(readableOf(source), source.indent) : undefined;
    if (built) {
      const snapshot =
        this.state.kind === 'released'
          ? this.state.snapshot
          : (built.toJS({ maxAliasCount: -1 }) as Resource);
      this.state = { kind: 'parsed', document: built, snapshot, isResource: true };
      return { document: built, data: snapshot };
    }
    const text = dedent(linesOf(source), source.indent);
    const document = parseDocument(text, parseOptions);
    // Bounds before toJS: an alias bomb would expand here.
    const problem = boundsProblem(document, text.length);
    if (problem) return this.refuse(problem);
    let data: unknown;
    try {
      data = document.toJS({ maxAliasCount: -1 }) as unknown;
    } catch (e) {
      // An alias whose anchor is not where the parser looks (inside a scalar, or in another item).
      return this.refuse(`its YAML cannot be read: ${(e as Error).message}`);
    }
    const isResource = isResourceValue(data);
    const resource: Resource = isResource ? (data as Resource) : {};
    // Parsing the same text again (after a release) gives the same data: keep the snapshot callers may hold.
    const snapshot = this.state.kind === 'released' ? this.state.snapshot : resource;
    this.state = { kind: 'parsed', document, snapshot, isResource };
    return { document, data: resource };
  }

  /** -> refused. */
  private refuse(reason: string): { document: Document; data: Resource } {
    const state = refusedState(reason);
    this.state = state;
    return { document: state.document, data: state.snapshot };
  }

  /** parsed -> released: nothing can have edited the Document, and the snapshot is all `data` needs. */
  private release(): void {
    // A non-mapping input counts as changed (see `changed`) and is rendered from its Document: that one is kept.
    if (this.state.kind === 'parsed' && this.state.isResource && this.source)
      this.state = { kind: 'released', snapshot: this.state.snapshot };
  }

  /** parsed -> exposed: the Document is handed out for editing; `data` is the input state's plain data. */
  private expose(document: Document, snapshot: Resource, data: Resource): void {
    // An edit may delete the node an alias points at (an annotation holding the anchor, say): the Document
    // handed out for editing has its aliases inlined. The data is the same, so an unedited item keeps its text.
    if (this.source?.text.includes('*')) inlineAliases(document);
    this.state = { kind: 'exposed', document, snapshot, original: JSON.stringify(data) };
  }

  /** Forgets edits of a text-backed item, so it is written as it came in: -> text. */
  revert(): void {
    if (!this.source || this.state.kind === 'refused') return;
    // A JSON item's input data is its snapshot (Documents are built from copies of it).
    const state = this.state;
    if (this.source.json && state.kind !== 'text')
      this.state = { kind: 'released', snapshot: state.snapshot };
    else this.state = unparsed;
  }

  /** The item's Document, parsed now if it is not yet (or no longer). */
  private parse(): Document {
    const state = this.state;
    return state.kind === 'text' || state.kind === 'released' ? this.parseSource().document : state.document;
  }

  /**
   * A scalar at a key path as the item is now: edits through `node` included (`read` gives the input state). For
   * checks of what a function hands back.
   */
  readNow(path: readonly string[]): Json | undefined {
    if (this.state.kind !== 'exposed') return this.read(path);
    const value = this.state.document.getIn(path, false) as unknown;
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
    const before = this.state.kind;
    const fresh = before === 'text' || before === 'released' ? this.parseSource() : undefined;
    const document = fresh?.document ?? this.parse();
    const state = this.state;
    const contents = document.contents;
    if (state.kind === 'refused') throw new MalformedItem(this, state.reason, 'REFUSED');
    if (document.errors.length > 0) {
      const first = document.errors[0] as YAMLError;
      const text = this.source ? dedent(linesOf(this.source), this.source.indent) : document.toString();
      throw new MalformedItem(this, yamlErrorMessage(first, text, 'the resource'), first.code);
    }
    if (!isMap(contents)) throw new MalformedItem(this, 'not a YAML mapping', undefined);
    // Not edited yet (only `node` allows that): this is the input state.
    if (state.kind === 'parsed')
      this.expose(document, state.snapshot, fresh ? fresh.data : snapshotOf(document));
    return contents;
  }

  /** True for an item of a JSON input (read by `JSON.parse`, written back as JSON while unchanged). */
  get isJson(): boolean {
    return this.source?.json === true;
  }

  /**
   * True when the item reads without a YAML error: what the block reader or JSON.parse read is valid; anything
   * else is asked of the parser.
   */
  get readsCleanly(): boolean {
    if (this.source?.json) return true;
    void this.data;
    return this.vouched || (this.refusal === undefined && this.parse().errors.length === 0);
  }

  /** True when the item is a YAML mapping, as every Kubernetes resource is. */
  get isMapping(): boolean {
    // JSON.parse read it as an object.
    if (this.source?.json) return true;
    const document = this.parse();
    return document.errors.length === 0 && isMap(document.contents);
  }

  /** A plain snapshot of the resource as it came in (edits through `node` do not show here). */
  get data(): Resource {
    if (this.state.kind === 'text') {
      // Most items are only read: the block reader gives their data without a Document when it can.
      const read = this.source?.lineReads ? this.readByLines() : undefined;
      this.vouched = read !== undefined;
      if (read) this.state = { kind: 'released', snapshot: read };
      else {
        this.parseSource();
        this.release();
      }
    }
    return (this.state as Exclude<ItemState, { kind: 'text' }>).snapshot;
  }

  /** The whole item read by the block reader; undefined when only the parser may read it. */
  private readByLines(): Resource | undefined {
    const source = this.source as Source;
    const lines = readableOf(source);
    return readBlockMapping(lines, 0, lines.length, source.indent);
  }

  /**
   * One value of the input state, by key path (`*` steps collect from every list entry). Reads only the lines of
   * that block while the item is unparsed: the Inventory reads labels and selectors of many large resources.
   */
  read(path: readonly string[]): Json | undefined {
    if (this.state.kind !== 'text' || !this.source?.lineReads) return digPath(this.data, path);
    // An item is read at a few paths, many times over (labels of a Service, once per monitor): a short list
    // compared step by step costs less than building and hashing a key each time.
    this.reads ??= [];
    for (const read of this.reads) if (samePath(read.path, path)) return read.value;
    const value = readPath(readableOf(this.source), this.source.indent, path, parseBlock);
    const result = value === fallback ? digPath(this.data, path) : value;
    this.reads.push({ path: [...path], value: result });
    return result;
  }

  private identity(): Identity {
    if (this.state.kind === 'refused') return noIdentity;
    if (this.header) return this.header;
    // Headers are read from text only before the item is parsed (a released Document still counts as parsed).
    if (this.state.kind === 'text' && this.source?.lineReads) {
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
    // A key given twice still parses to data (the run sets the item aside when a function reads it, with a
    // warning naming the key): the item is named by it, as the line readers name it from its header lines.
    // JSON.parse read a JSON item without error: its data names it (no Document needed).
    const errors = this.source?.json ? [] : this.parse().errors;
    const data =
      errors.length === 0
        ? this.data
        : errors.every((e) => e.code === 'DUPLICATE_KEY')
          ? this.lenientData()
          : {};
    const metadata = asObject(data.metadata);
    this.header = {
      apiVersion: str(data.apiVersion),
      kind: str(data.kind),
      name: str(metadata?.name),
      namespace: typeof metadata?.namespace === 'string' ? metadata.namespace : undefined,
    };
    return this.header;
  }

  /**
   * The data read with repeated keys allowed, the later value winning (kubectl's decoder keeps the last): the parser
   * drops the repeated key, so `metadata:` given empty and then with a name would name nothing.
   */
  private lenientData(): Resource {
    const source = this.source;
    if (!source) return this.data;
    const document = parseDocument(dedent(linesOf(source), source.indent), {
      ...parseOptions,
      uniqueKeys: false,
    });
    if (boundsProblem(document, source.text.length)) return {};
    try {
      const data = document.toJS({ maxAliasCount: -1 }) as unknown;
      return isResourceValue(data) ? (data as Resource) : {};
    } catch {
      return {};
    }
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
    if (this.state.kind === 'refused') return this.textLabel();
    return `${this.kind}/${this.namespace ? `${this.namespace}/` : ''}${this.name}`;
  }

  /** True when the item was parsed and its content differs from the input. */
  get changed(): boolean {
    const state = this.state;
    // Not edited: the content is the input's, which differs from its snapshot only when that is not a mapping.
    if (state.kind === 'parsed') return !state.isResource;
    if (state.kind !== 'exposed') return false;
    if (state.original === undefined) return true;
    return JSON.stringify(state.document.toJS({ maxAliasCount: -1 })) !== state.original;
  }

  private render(): string {
    return this.parse().toString(stringifyOptions(this.indentSeq()));
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

  /**
   * The item as an entry of a JSON array whose entries start at a column holding `indent` (a JSON output): its own
   * text while unchanged, else its data as JSON indented by `unit` ('' for compact JSON).
   */
  toJsonText(unit: string, indent: string): string {
    const source = this.source;
    // Every source of a JSON list is JSON text (one holding a repeated key too, read as YAML).
    if (source && !this.changed) return source.text;
    const data = this.state.kind === 'exposed' ? this.state.document.toJS({ maxAliasCount: -1 }) : this.data;
    const text = JSON.stringify(data, null, unit);
    return unit === '' ? text : text.replaceAll('\n', `\n${indent}`);
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
  return isResourceValue(data) ? data : {};
}

/** The state of a refused item: its content read as an empty Document, its data `{}`. */
function refusedState(reason: string): Extract<ItemState, { kind: 'refused' }> {
  return { kind: 'refused', reason, document: new Document(null, parseOptions), snapshot: {} };
}

function isResourceValue(value: unknown): value is Resource {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as an object, or undefined when it is not one. */
export function asObject(value: unknown): { [key: string]: Json } | undefined {
  return isResourceValue(value) ? value : undefined;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
