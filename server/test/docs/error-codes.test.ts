import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { errorCatalog } from '../../src/http/errors.ts';

const documented = new Map(
  [
    ...readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8').matchAll(
      /^\| `([a-z_.]+)` +\| (\d{3}) +\|/gm,
    ),
  ].map((match) => [match[1] as string, Number(match[2])]),
);

it('docs/errors.md lists every error code the server can answer, with its status', () => {
  const catalog = new Map(Object.entries(errorCatalog).map(([code, [status]]) => [code, status]));
  assert.deepEqual([...documented].sort(), [...catalog].sort());
});
