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

/** Never fold long strings: a folded annotation value is a diff nobody asked for. */
export function stringifyOptions(indentSeq: boolean): ToStringOptions {
  return { lineWidth: 0, minContentWidth: 0, indentSeq, directives: false, flowCollectionPadding: false };
}
