/** The one place that says how YAML is read and written, so every path agrees. */
import type { DocumentOptions, ParseOptions, ScalarTag, SchemaOptions, Tags, ToStringOptions } from 'yaml';

const floatTag = 'tag:yaml.org,2002:float';
/**
 * The 1.1 schema's plain float without its digit-free forms. The `yaml` package reads `.` (Istio's `exportTo: [.]`,
 * "this namespace") and `+.` as NaN, and writes them back as `.nan`; Kubernetes' go-yaml reads them as strings
 * (its resolver tries strconv.ParseFloat, which refuses a bare dot). src/text/plain-scalar.ts follows the same rule.
 */
export const plainFloat = /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)$/;
const yamlFloat = '^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*$';

function kubernetesFloats(tags: Tags): Tags {
  return tags.map((tag) => {
    const scalar = tag as ScalarTag;
    return scalar.tag === floatTag && scalar.test?.source === yamlFloat
      ? { ...scalar, test: plainFloat }
      : tag;
  });
}

/**
 * Kubernetes tooling reads YAML 1.1: under the 1.2 core schema `0755` would turn into `755` and a new string
 * `"yes"` would be written unquoted, changing its meaning for the next reader.
 */
export const parseOptions: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  keepSourceTokens: false,
  prettyErrors: false,
  uniqueKeys: true,
  customTags: kubernetesFloats,
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
