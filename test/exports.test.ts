import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as library from '../src/index.js';

test('every value the package exports is documented in the README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const names = Object.keys(library);
  assert.ok(names.length >= 10, names.join(', '));
  for (const name of names) assert.ok(readme.includes(`\`${name}`), `${name} is exported but the README does not name it`);
});
