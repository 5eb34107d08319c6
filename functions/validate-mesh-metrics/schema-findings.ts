/** Placeholder replaced by the CRD schema check. */
import type { Item } from '../../src/krm/index.js';
import type { Finding } from './finding.js';

/** Every schema finding. */
export function schemaFindings(_items: readonly Item[]): Finding[] {
  return [];
}
