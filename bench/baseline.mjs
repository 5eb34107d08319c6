#!/usr/bin/env node
/**
 * Baselines for bench/run.mjs, reading stdin and writing stdout like a KRM function does:
 *   json  JSON.parse + JSON.stringify of the JSON copy of the ResourceList (the floor for any reader/writer)
 *   yaml  yaml's parseDocument (YAML 1.1) + toString of the whole ResourceList (the naive Document API way)
 */
import { readFileSync, writeSync } from 'node:fs';
import { parseDocument } from 'yaml';

const mode = process.argv[2];
const input = readFileSync(0, 'utf8');
let output;
if (mode === 'json') {
  output = JSON.stringify(JSON.parse(input));
} else if (mode === 'yaml') {
  const document = parseDocument(input, { version: '1.1' });
  if (document.errors.length > 0) throw new Error(document.errors[0].message);
  output = document.toString();
} else {
  process.stderr.write('usage: node bench/baseline.mjs json|yaml < input\n');
  process.exit(2);
}
writeSync(1, output);
