/** The one place that says how YAML is read and written, so every path agrees. */
import type { DocumentOptions, ParseOptions, SchemaOptions, ToStringOptions } from 'yaml';

/**
 * Kubernetes tooling reads YAML 1.1: under the 1.2 core schema `0755` would turn into `755` and a new string
 * `"yes"` would be written unquoted, changing its meaning for the next reader.
 */
export const parseOptions: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  keepSourceTokens: false,
  prettyErrors: false,
  uniqueKeys: true,
};

/**
 * Never fold long strings: a folded annotation value is a diff nobody asked for. That holds for a double-quoted
 * value with `\n` escapes too, which the writer would otherwise break over several lines from 40 characters on
 * (a multi-line quoted scalar that only the full parser reads, so a second run took another path than the first).
 */
export function stringifyOptions(indentSeq: boolean): ToStringOptions {
  return {
    lineWidth: 0,
    minContentWidth: 0,
    doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER,
    indentSeq,
    directives: false,
    flowCollectionPadding: false,
  };
}
