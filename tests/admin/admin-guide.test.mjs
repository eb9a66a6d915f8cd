// ADMIN.md, the administrators' guide, must cover every policy key of schema.json.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, SCHEMA } from './lib.mjs';

test('ADMIN.md mentions every schema property', () => {
  const guide = readFileSync(join(ROOT, 'ADMIN.md'), 'utf8');
  const missing = Object.keys(SCHEMA.properties).filter((key) => !guide.includes(`\`${key}\``));
  assert.deepEqual(missing, [], 'properties of schema.json that ADMIN.md does not mention');
});
