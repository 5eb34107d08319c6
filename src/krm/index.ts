/**
 * The KRM runtime's public surface: the only module functions/, src/domain/ and src/cli/ import from src/krm
 * (test/unit/architecture.test.ts checks it). What is not exported here is the runtime's own business.
 */
export type { Json, Resource } from '../text/json.js';
export { isTrivia } from '../text/lines.js';
export { boundsProblem } from './bounded-parse.js';
export { configApiVersion, readConfig } from './config.js';
export { generatedByAnnotation, mergedForAnnotation, originalAnnotation } from './conservation.js';
export { asDecoded, type DecodedInput, decodeInput } from './decode.js';
export { fieldPath } from './field-path.js';
export { asObject, Item } from './item.js';
export { jsonListEntries, readJsonDocument } from './json-resource-list.js';
export { defineFunction, type KrmFunction } from './krm-function.js';
export { currentLimits, environmentNames, limitsFrom, setLimits } from './limits.js';
export { failure, type Outcome, success } from './outcome.js';
export { parsedItems } from './parsed-items.js';
export { pathString } from './path-field.js';
export {
  invalidUtf8Problem,
  listItemsByLines,
  readResourceList,
  readStream,
  startsWithMarker,
  writeFailure,
  writeResourceList,
  writeStream,
} from './resource-list.js';
export {
  error,
  formatResult,
  hasError,
  info,
  type ResourceRef,
  type Result,
  type ResultTarget,
  warning,
} from './results.js';
export { runFunction } from './run-function.js';
export { handOff } from './step-handoff.js';
export {
  allOrNothing,
  appendNode,
  ensureMap,
  ensureMapPath,
  ensureSeq,
  findByKey,
  mapAt,
  plain,
  seqAt,
  setScalar,
  toNode,
} from './yaml-edit.js';
export { parseOptions, stringifyOptions } from './yaml-options.js';
