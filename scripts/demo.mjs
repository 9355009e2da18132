// Runs the demo: Lectern on its embedded database, and the intranet example page beside it.
// Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const dataDir = path.resolve(process.env.LECTERN_DATA_DIR ?? '.lectern');
const intranetPort = process.env.INTRANET_PORT ?? '8081';

const lectern = spawn(process.execPath, ['server/dist/cli/main.js', 'serve', '--demo'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, LECTERN_LOG_LEVEL: process.env.LECTERN_LOG_LEVEL ?? 'warn' },
});
let intranet;

let printed = '';
lectern.stdout.on('data', (data) => {
  process.stdout.write(data);
  printed += data;
  const url = /Lectern demo is running at (\S+)/.exec(printed)?.[1];
  if (url && !intranet) startIntranet(url);
});

function startIntranet(lecternUrl) {
  const credentials = JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8'));
  intranet = spawn(process.execPath, ['examples/intranet/server.mjs'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      LECTERN_URL: lecternUrl,
      LECTERN_KEY_ID: credentials.embedKey.id,
      LECTERN_KEY_SECRET: credentials.embedKey.secret,
      PORT: intranetPort,
    },
  });
  console.log(`Open the intranet page to try it: http://127.0.0.1:${intranetPort}/\n`);
}

const stop = () => {
  intranet?.kill('SIGTERM');
  lectern.kill('SIGTERM');
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
lectern.on('exit', (code) => {
  intranet?.kill('SIGTERM');
  process.exit(code ?? 0);
});
