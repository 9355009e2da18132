// Segment and key requests per second: Lectern's playback URLs beside nginx serving the same
// encrypted segments and the same keys as static files, under the same request mix, in one
// run. It prints ratios, never a pass mark: the machine's speed cancels out of them. Exits
// non-zero only when requests failed.
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runGets } from './load.mjs';
import { ensureNginx, startNginx } from './nginx.mjs';
import { makeSampleVideo, mirrorPlayback, playbackOf, publishVideo } from './published-video.mjs';
import { failures } from './report.mjs';
import { ask, startTarget, stopTarget } from './target-process.mjs';
import { integer, progress } from './cli.mjs';

// One key request (the policy asked, the content key unwrapped) per this many segments.
const segmentsPerKey = 10;

const options = readOptions();
const targets = [];
let nginx;
const folder = mkdtempSync(path.join(tmpdir(), 'lectern-bench-segments-'));
// Bounded in time whatever happens: installing nginx, the sample video, transcoding, two
// warm-ups, two runs, and slack.
const budgetMs = (480 + 2 * (options.warmup + options.duration)) * 1000;
const watchdog = setTimeout(() => {
  console.error(`bench: gave up after ${budgetMs / 1000} s`);
  nginx?.child.kill('SIGKILL');
  for (const target of targets) target.child.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
  process.exit(2);
}, budgetMs);

try {
  process.exitCode = await bench();
} finally {
  await nginx?.stop();
  await Promise.all(targets.map((target) => stopTarget(target.child)));
  rmSync(folder, { recursive: true, force: true });
  clearTimeout(watchdog);
}

async function bench() {
  if (!(await ensureNginx(progress))) return 2;

  progress('making a 30 s 1280×720 video with ffmpeg…');
  const video = await makeSampleVideo(folder);
  const profileDir = options.cpuProf ? mkdtempSync(path.join(tmpdir(), 'lectern-bench-prof-')) : '';
  progress('starting Lectern with its job workers…');
  const lectern = await startTarget('./targets/lectern-playback.mjs', {
    execArgv: options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  targets.push(lectern);
  progress('uploading, transcoding, approving…');
  const published = await publishVideo(lectern, video, { size: statSync(video).size });
  const playback = await playbackOf(lectern, published.videoId, published.viewerToken);

  progress('copying the encrypted segments and the keys for nginx…');
  // nginx's workers drop root for `nobody`, who must be able to walk to the files.
  chmodSync(folder, 0o755);
  const served = path.join(folder, 'encrypted');
  const segmentBytes = await mirrorPlayback(playback, served, { decrypt: false });
  const [first] = playback.renditions;
  nginx = await startNginx({
    root: served,
    workFolder: path.join(folder, 'nginx'),
    probePath: `/${first.name}/key`,
  });

  // The same files in the same order on both: Lectern's tokened paths, nginx's plain ones.
  const mix = requestMix(playback.renditions);
  const lecternPaths = mix.map((url) => new URL(url).pathname);
  const prefix = new URL(playback.playlistUrl).pathname.replace(/\/master\.m3u8$/, '');
  const nginxPaths = lecternPaths.map((pathname) => pathname.slice(prefix.length));

  // nginx first, while Lectern idles; then Lectern, while nginx idles.
  const bare = await run('nginx', nginx.url, nginxPaths, async () => nginx.cpuSeconds());
  const measured = await run('lectern', lectern.url, lecternPaths, async () => {
    const { usage } = await ask(lectern.child, { type: 'cpu-usage' }, 'cpu');
    return (usage.user + usage.system) / 1e6;
  });

  const segments = playback.renditions.reduce((sum, each) => sum + each.segments.length, 0);
  console.log(
    [
      '',
      'Segment and key requests: Lectern playback URLs vs nginx on the same files',
      `  files     ${segments} encrypted segments of ${playback.renditions.length} renditions ` +
        `(${playback.renditions.map((each) => each.name).join(', ')}; ` +
        `${(segmentBytes / segments / 1e6).toFixed(2)} MB on average), one 16-byte key each`,
      `  mix       every segment in turn, one key request per ${segmentsPerKey} segments ` +
        `(${mix.length} paths in the cycle), all connections drawing from one rotation`,
      `  load      ${options.duration} s at ${options.connections} connections after a ` +
        `${options.warmup} s warm-up; autocannon in this process, each server in its own`,
      `  nginx     ${nginx.version}, 1 worker, sendfile, access log off`,
      `  lectern   ${lectern.database}; local storage; a playback token in every path`,
      '',
    ].join('\n'),
  );
  console.log(formatReport({ nginx: bare.measured, lectern: measured.measured }));
  if (options.cpuProf) console.log(`\nCPU profile of the Lectern process: ${profileDir}`);

  const unmeasured = failures(bare.warmup) + failures(measured.warmup);
  if (unmeasured > 0) console.log(`\n${unmeasured} requests failed in the warm-ups.`);
  return unmeasured + failures(bare.measured) + failures(measured.measured) > 0 ? 1 : 0;
}

/**
 * Every segment URL of every rendition in turn, and after each tenth a key URL, the
 * renditions' keys in turn; long enough that every segment meets every key position.
 */
function requestMix(renditions) {
  const segments = renditions.flatMap((rendition) => rendition.segments.map((each) => each.url));
  const keys = renditions.map((rendition) => rendition.segments[0].key.url);
  const mix = [];
  for (let index = 0; index < segments.length * segmentsPerKey * keys.length; index += 1) {
    mix.push(segments[index % segments.length]);
    if ((index + 1) % segmentsPerKey === 0) {
      mix.push(keys[((index + 1) / segmentsPerKey - 1) % keys.length]);
    }
  }
  return mix;
}

/** A warm-up, then the measured run with the CPU seconds the server spent in it. */
async function run(name, url, paths, cpuSeconds) {
  const rotation = { next: 0 };
  const { connections } = options;
  let warmup = { errors: 0, non2xx: 0 };
  if (options.warmup > 0) {
    progress(`${name}: warming up for ${options.warmup} s…`);
    warmup = await runGets({ url, paths, rotation, connections, duration: options.warmup });
  }
  progress(`${name}: measuring for ${options.duration} s…`);
  const before = await cpuSeconds();
  const result = await runGets({ url, paths, rotation, connections, duration: options.duration });
  const after = await cpuSeconds();
  const cpu = before === undefined || after === undefined ? undefined : after - before;
  return { warmup, measured: { ...result, cpu } };
}

function formatReport({ nginx, lectern }) {
  const ratio = (a, b) => (b > 0 ? a / b : undefined);
  const times = (value, digits) => (value === undefined ? 'n/a' : `${value.toFixed(digits)}×`);
  const row = (label, result) => [
    label,
    Math.round(result.requestsPerSecond).toLocaleString('en'),
    String(result.p50),
    String(result.p99),
    (result.bytesPerSecond / 1e6).toFixed(0),
    result.total.toLocaleString('en'),
    result.errors.toLocaleString('en'),
    result.non2xx.toLocaleString('en'),
    result.cpu === undefined ? 'n/a' : result.cpu.toFixed(1),
  ];
  const rows = [
    ['', 'req/s', 'p50 ms', 'p99 ms', 'MB/s', 'requests', 'errors', 'non-2xx', 'CPU s'],
    row('nginx, static files', nginx),
    row('lectern /api/v1/playback/…', lectern),
    [
      'ratio lectern / nginx',
      times(ratio(lectern.requestsPerSecond, nginx.requestsPerSecond), 2),
      times(ratio(lectern.p50, nginx.p50), 1),
      times(ratio(lectern.p99, nginx.p99), 1),
      times(ratio(lectern.bytesPerSecond, nginx.bytesPerSecond), 2),
      '',
      '',
      '',
      times(ratio(lectern.cpu, nginx.cpu), 1),
    ],
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((cells) => cells[column].length)));
  const lines = rows.map((cells) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]),
      )
      .join('  '),
  );

  const failed = failures(nginx) + failures(lectern);
  const share = ratio(lectern.requestsPerSecond, nginx.requestsPerSecond);
  let conclusion;
  if (failed > 0) {
    conclusion = `Conclusion: ${failed} requests failed, so the figures compare nothing; see above.`;
  } else if (share === undefined) {
    conclusion = 'Conclusion: nginx answered nothing; no ratio.';
  } else {
    const perRequest = (result) => (result.cpu * 1000) / result.total;
    conclusion =
      `Conclusion: Lectern serves ${(share * 100).toFixed(1)} % of nginx's segment and key ` +
      `requests per second` +
      (lectern.cpu !== undefined && nginx.cpu !== undefined
        ? `, at ${perRequest(lectern).toFixed(2)} ms of CPU per request against nginx's ` +
          `${perRequest(nginx).toFixed(2)} ms.`
        : '.');
  }
  return [...lines, '', conclusion].join('\n');
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
    },
  });
  // Playback tokens live 15 minutes; the cap keeps the one in every path valid to the end.
  return {
    duration: integer('duration', values.duration ?? process.env.BENCH_DURATION ?? '10', 1, 120),
    connections: integer(
      'connections',
      values.connections ?? process.env.BENCH_CONNECTIONS ?? '10',
      1,
      1000,
    ),
    warmup: integer('warmup', values.warmup ?? process.env.BENCH_WARMUP ?? '3', 0, 30),
    cpuProf: values['cpu-prof'],
  };
}
