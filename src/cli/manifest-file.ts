/**
 * One manifest file of a plain application directory, read as resources on its own (concatenated with the others,
 * a `%YAML` directive or a stray `...` would break the files after it, and errors could only say "document 17" of
 * the whole stream). Every problem names the file, the document index in it (from 0) and its line.
 *
 * A `.json` file holds one JSON object (a resource or a List), read with JSON's rules (`1e3` is a number, which
 * YAML 1.1 would read as a string) and turned into a YAML document. Every document is parsed once up front: a
 * malformed one is reported here, with its file, rather than by the first function that parses it.
 */
import { Document, isMap, isScalar, LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import {
  error,
  failure,
  type Item,
  isTrivia,
  type Outcome,
  parseOptions,
  type Result,
  readJsonDocument,
  readStream,
  stringifyOptions,
  success,
} from '../krm/index.js';
import type { AppFile } from './app-files.js';
import { flattenList, type Origin } from './flatten-lists.js';

/** A JSON file's object as YAML text, or the problem with it. */
function jsonAsYaml(file: AppFile): Outcome<string> {
  let value: unknown;
  try {
    value = JSON.parse(file.text);
  } catch (e) {
    return failure([
      // V8 quotes the text around the error, line breaks included: one line keeps the message whole.
      error(`${file.path}: not valid JSON: ${(e as Error).message.replace(/\s+/g, ' ')}`, {
        file: { path: file.path },
      }),
    ]);
  }
  // JSON.parse keeps the last of a key given twice without a word; Kubernetes' readers refuse the file.
  const repeated = parseDocument(file.text, parseOptions).errors.find((e) => e.code === 'DUPLICATE_KEY');
  if (repeated)
    return failure([
      error(`${file.path}: not valid for Kubernetes: ${repeated.message.replace(/\s+/g, ' ')}`, {
        file: { path: file.path },
      }),
    ]);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return failure([
      error(`${file.path}: a .json manifest must hold one JSON object (a resource or a List)`, {
        file: { path: file.path },
      }),
    ]);
  return success(new Document(value, parseOptions).toString(stringifyOptions(false)));
}

/** The origins of the file's resource documents (empty documents have none), or the parse problems. */
export function documentOrigins(path: string, text: string): Outcome<Origin[]> {
  const origins: Origin[] = [];
  const problems: Result[] = [];
  const lines = new LineCounter();
  for (const [index, document] of parseAllDocuments(text, {
    ...parseOptions,
    lineCounter: lines,
  }).entries()) {
    const at = (offset: number) => `${path} document ${index} (line ${lines.linePos(offset).line})`;
    const file = { file: { path, index } };
    for (const e of document.errors)
      problems.push(error(`${at(e.pos[0])}: malformed YAML: ${e.message}`, file));
    // An empty document (a file ending in `---`, as Istio's bookinfo.yaml does) holds a null scalar: kubectl skips it.
    const contents = document.contents;
    if (document.errors.length > 0 || contents === null || (isScalar(contents) && contents.value === null))
      continue;
    const label = at(contents.range?.[0] ?? 0);
    if (!isMap(contents)) problems.push(error(`${label}: not a resource (a YAML mapping)`, file));
    origins.push({ label, file: { path, index } });
  }
  return problems.length > 0 ? failure(problems) : success(origins);
}

/**
 * The origins `documentOrigins` gives, read off the lines without parsing: documents are cut at `---` lines (the
 * first only when it holds content, later ones always, empty or not, as the parser counts them), each labelled
 * with its first content line. Undefined when a line could make that count differ from the parser's (a `---` or
 * `...` with more on its line, a directive); then the parser counts.
 */
export function originsByLines(path: string, text: string): Origin[] | undefined {
  const origins: Origin[] = [];
  let index = 0;
  let first = true;
  let labelled = false;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    if (line.startsWith('---') || line.startsWith('...') || line.startsWith('%')) {
      if (line.startsWith('%') || line.slice(3).trim() !== '' || line.startsWith('...')) return undefined;
      if (!first || labelled) index++;
      first = false;
      labelled = false;
      continue;
    }
    if (labelled || isTrivia(line)) continue;
    labelled = true;
    origins.push({ label: `${path} document ${index} (line ${n + 1})`, file: { path, index } });
  }
  return origins;
}

/** The resources of one manifest file, Lists flattened, or every problem found in it. */
export function manifestItems(file: AppFile): Outcome<Item[]> {
  // Kubernetes tools skip a UTF-8 byte order mark; JSON.parse and the header reader would not.
  const input = { ...file, text: file.text.replace(/^\uFEFF/, '') };
  // A JSON file JSON.parse reads as one object goes to the stream reader as it is (its JSON path).
  const asJson = file.path.endsWith('.json') ? readJsonDocument(input.text) : undefined;
  const json = asJson || !file.path.endsWith('.json') ? success(input.text) : jsonAsYaml(input);
  if (!json.ok) return json;
  const read = asJson ? success([asJson]) : readStream(json.value);
  // Read by lines without a problem: the origins come from the lines too (the parser would take longer than
  // the whole run); otherwise the parser reports every malformed document with its line.
  const clean = read.ok && read.value.every((item) => item.readsCleanly);
  const quick = clean ? originsByLines(file.path, json.value) : undefined;
  const checked =
    quick && quick.length === read.value?.length ? success(quick) : documentOrigins(file.path, json.value);
  if (!checked.ok) return checked;
  if (!read.ok) return failure(read.problems.map((p) => ({ ...p, message: `${file.path}: ${p.message}` })));
  const problems: Result[] = [];
  const items: Item[] = [];
  for (const [index, item] of read.value.entries()) {
    // Both readers skip empty documents: the n-th item is the n-th resource document.
    const origin = checked.value[index] ?? { label: `${file.path} resource ${index}` };
    // Refused by a bound (nested deeper than MESHSCRAPE_MAX_DEPTH): its reason, not "no kind".
    if ((item.apiVersion === '' || item.kind === '') && item.parseErrors && item.refusal !== undefined) {
      problems.push(error(`${origin.label}: refused: ${item.refusal}`, { file: origin.file }));
      continue;
    }
    if (item.apiVersion === '' || item.kind === '') {
      const missing = item.kind === '' ? 'kind' : 'apiVersion';
      problems.push(
        error(`${origin.label}: not a Kubernetes resource (no ${missing})`, {
          file: origin.file,
          path: missing,
        }),
      );
      continue;
    }
    const flat = flattenList(item, origin);
    if (flat.ok) items.push(...flat.value);
    else problems.push(...flat.problems);
  }
  return problems.length > 0 ? failure(problems) : success(items);
}
