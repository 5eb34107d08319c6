/** Function configs read from files, for the modes that take them as paths (kustomize plugins, Helm). */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import {
  asObject,
  boundsProblem,
  error,
  failure,
  type Outcome,
  parseOptions,
  type Resource,
  success,
} from '../krm/index.js';

/** The YAML documents of a config file, as objects (empty documents skipped), or the problem reading it. */
export function readConfigFile(path: string): Outcome<Resource[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return failure([error(`cannot read config ${path}: ${(e as Error).message}`, { path })]);
  }
  const configs: Resource[] = [];
  for (const [index, document] of parseAllDocuments(text, parseOptions).entries()) {
    const where = { file: { path, index } };
    const range = document.range;
    const refusal = boundsProblem(document, range ? range[2] - range[0] : text.length);
    if (refusal) return failure([error(`document ${index} of config ${path} is refused: ${refusal}`, where)]);
    if (document.errors.length > 0)
      return failure([error(`malformed YAML in config ${path}: ${document.errors[0]?.message}`, where)]);
    if (document.contents === null) continue;
    const config = asObject(document.toJS({ maxAliasCount: -1 }));
    if (!config) return failure([error(`document ${index} of config ${path} is not a mapping`, where)]);
    configs.push(config);
  }
  return success(configs);
}
