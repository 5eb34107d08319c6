#!/usr/bin/env node
// The floor for any reader/writer of a ResourceList: JSON.parse + JSON.stringify of the JSON copy on stdin, in a
// fresh node process that imports no package (only node:fs), so the floor is not inflated by loading a library.
import { readFileSync, writeSync } from 'node:fs';

writeSync(1, JSON.stringify(JSON.parse(readFileSync(0, 'utf8'))));
