/** A finding of the validator: a code, a severity, the resource and field, what is wrong and the fix. */
import { error, type Item, info, type Result, warning } from '../../src/krm/index.js';
import { type Code, codes, type Severity } from './codes.js';

/** One finding. */
export interface Finding {
  code: Code;
  severity: Severity;
  message: string;
  fix: string;
  /** The resource it is about; undefined for a finding about the whole list. */
  item: Item | undefined;
  /** Field path inside the resource. */
  path?: string | undefined;
  /** What else tells two findings of one code and field apart (the target of a scrape). */
  subject?: string | undefined;
  /** Where it is, for a finding about input that holds no resource (a document that could not be read). */
  at?: { uri: string; line: number | undefined } | undefined;
}

/** A finding with the catalog's severity and fix unless given. */
export function finding(
  code: Code,
  item: Item | undefined,
  path: string | undefined,
  message: string,
  extra: { fix?: string; severity?: Severity } = {},
): Finding {
  return {
    code,
    severity: extra.severity ?? codes[code].severity,
    message,
    fix: extra.fix ?? codes[code].fix,
    item,
    path,
  };
}

const bySeverity = { error, warning, info } as const;

/** The KRM result of a finding: `CODE: message (fix: ...)`, with resourceRef, field path and file. */
export function toResult(f: Finding): Result {
  return bySeverity[f.severity](`${f.code}: ${f.message} (fix: ${f.fix})`, {
    ref: f.item?.ref,
    file: f.item?.file,
    path: f.path,
  });
}
