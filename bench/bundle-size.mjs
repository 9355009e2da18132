// Prints the gzip (-9) size of the script-tag build's first load and of everything it needs to
// play a video, beside @mux/mux-player's script-tag build measured in the same run.
// Run `npm run build` first. Exits 0 whether or not the aims are met: it reports, not gates.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const elements = join(root, 'packages/elements/dist');
const firstLoad = [join(elements, 'lectern.js')];
// Everything `import()`ed lazily (the player's engine, the uploader's tus client) and any CSS: `chunks/` beside lectern.js.
const lazy = readdirSync(join(elements, 'chunks'))
  .filter((name) => name.endsWith('.js') || name.endsWith('.css'))
  .map((name) => join(elements, 'chunks', name));
const mux = join(root, 'node_modules/@mux/mux-player/dist/mux-player.js');

const aims = { firstLoadBytes: 40 * 1024, toPlayRatio: 0.6 };

for (const file of [...firstLoad, ...lazy, mux]) {
  if (!existsSync(file)) {
    console.error(`Missing ${file}: run \`npm run build\` (and \`npm ci\`) first.`);
    process.exit(1);
  }
}

const gzipped = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const total = (files) => files.reduce((sum, file) => sum + gzipped(file), 0);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(10);
const relative = (file) => file.slice(root.length);

const first = total(firstLoad);
// Playing needs the first load and the player's engine; the uploader's tus client and the
// author's quiz editor load only where those are used.
const playing = lazy.filter((file) => file.endsWith('/hls-engine.js'));
const toPlay = first + total(playing);
const muxBytes = gzipped(mux);

console.log('gzip -9 (node zlib), script-tag builds\n');
console.log(`${kb(first)}  first load: ${firstLoad.map(relative).join(', ')}`);
for (const file of lazy) {
  const role = playing.includes(file) ? 'lazy, to play' : 'lazy, where used';
  console.log(`${kb(gzipped(file))}  ${role}: ${relative(file)}`);
}
console.log(`${kb(toPlay)}  everything to play (first load + the player's engine)`);
console.log(`${kb(muxBytes)}  @mux/mux-player dist/mux-player.js (baseline)\n`);

const met = (ok) => (ok ? 'met' : 'NOT met');
console.log(
  `first load:         ${(first / muxBytes).toFixed(3)} × mux-player; aim ≤ 40 KB: ${met(first <= aims.firstLoadBytes)}`,
);
console.log(
  `everything to play: ${(toPlay / muxBytes).toFixed(3)} × mux-player; aim ≤ ${aims.toPlayRatio} ×: ${met(toPlay <= aims.toPlayRatio * muxBytes)}`,
);
