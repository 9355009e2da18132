// Runs the server's tests (TypeScript, through Node's type stripping) and the Node tests of
// the packages (compiled), two files at a time: each file starts its own databases.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

const files = [
  ...globSync('server/test/**/*.test.ts'),
  ...globSync('packages/*/dist/test/node/**/*.test.js'),
].sort();
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=120000', ...process.argv.slice(2), ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
