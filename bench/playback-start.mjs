// Time to first frame in headless Chromium: <lectern-player> playing a published video's
// encrypted stream through Lectern, beside a bare page whose hls.js (the same engine) plays the
// same renditions decrypted from a plain static server, in alternating loads of one run. It
// prints ratios, never a pass mark. Exits non-zero only when a load failed to play.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { servePages, serveFolder } from './playback-pages.mjs';
import { makeSampleVideo, mirrorPlayback, playbackOf, publishVideo } from './published-video.mjs';
import { ask, startTarget, stopTarget } from './target-process.mjs';
import { integer, progress } from './cli.mjs';

// A load that shows no frame within this long counts as failed.
const loadTimeoutMs = 30_000;

// Where the time goes: the end of the first response of each kind, from navigation start.
const milestones = [
  ['script loaded (lectern.js / hls.js)', /\/(lectern\.js|hls\.light\.min\.js)$/],
  ['player engine chunk loaded', /\/chunks\/hls-engine\.js$/],
  ['playback API answered', /\/api\/v1\/videos\/[^/]+\/playback$/],
  ['poster', /\/poster\.jpg$/],
  ['master playlist', /\/master\.m3u8$/],
  ['first media playlist', /\/index\.m3u8$/],
  ['first key', /\/key$/],
  ['first segment', /\/seg-\d+\.ts$/],
];

const options = readOptions();
const folder = mkdtempSync(path.join(tmpdir(), 'lectern-bench-playback-'));
const targets = [];
const servers = [];
let browser;
// Bounded in time whatever happens: the sample video, transcoding, and every load timing out.
const budgetMs = 300_000 + options.runs * 2 * (loadTimeoutMs + 5_000);
const watchdog = setTimeout(() => {
  console.error(`bench: gave up after ${budgetMs / 1000} s`);
  browser?.process()?.kill('SIGKILL');
  for (const target of targets) target.child.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
  process.exit(2);
}, budgetMs);

try {
  process.exitCode = await bench();
} finally {
  await browser?.close();
  await Promise.all(servers.map((server) => server.close()));
  await Promise.all(targets.map((target) => stopTarget(target.child)));
  rmSync(folder, { recursive: true, force: true });
  clearTimeout(watchdog);
}

async function bench() {
  progress('making a 30 s 1280×720 video with ffmpeg…');
  const video = await makeSampleVideo(folder);
  progress('starting Lectern with its job workers…');
  const lectern = await startTarget('./targets/lectern-playback.mjs');
  targets.push(lectern);
  progress('uploading, transcoding, approving…');
  const published = await publishVideo(lectern, video, { size: statSync(video).size });
  progress('copying the renditions, decrypted, for the baseline…');
  const playback = await playbackOf(lectern, published.videoId, published.viewerToken);
  const plainBytes = await mirrorPlayback(playback, path.join(folder, 'plain'), { decrypt: true });

  const media = await serveFolder(path.join(folder, 'plain'));
  servers.push(media);
  const pages = await servePages({
    lecternUrl: lectern.url,
    token: published.viewerToken,
    videoId: published.videoId,
    mediaUrl: media.url,
  });
  servers.push(pages);

  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    userDataDir: path.join(folder, 'chromium-profile'),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });

  const loads = { bare: [], lectern: [] };
  const failed = [];
  // Alternating, so that the other load of a shared machine falls on both alike.
  for (let round = 0; round < options.runs; round += 1) {
    progress(`round ${round + 1} of ${options.runs}: one load of each page…`);
    const order = round % 2 === 0 ? ['bare', 'lectern'] : ['lectern', 'bare'];
    for (const name of order) {
      const load = await loadPage(`${pages.url}/${name}`, name === 'lectern' ? lectern : undefined);
      if (load.error) failed.push(`${name}, round ${round + 1}: ${load.error}`);
      // The first load of each is the warm-up: a cold server, a cold browser.
      else if (round > 0) loads[name].push(load);
    }
  }

  const renditions = playback.renditions
    .map((rendition) => `${rendition.name} (${rendition.segments.length} segments)`)
    .join(', ');
  console.log(
    [
      '',
      'Time to first frame: <lectern-player> (encrypted, through Lectern) vs bare hls.js on files',
      `  video     30 s, 1280×720 testsrc2 + tone; renditions ${renditions}; ` +
        `${(plainBytes / 1e6).toFixed(1)} MB of segments`,
      `  database  ${lectern.database}; Lectern in a child process, transcoded in ` +
        `${published.transcodeSeconds.toFixed(0)} s`,
      `  browser   ${await browser.version()}, headless, cache disabled, a new context per load`,
      '  pages     each from its own loopback origin; bare media from a node:http static server',
      `  loads     ${options.runs} of each, alternating; the first of each is a warm-up, ` +
        `not counted`,
      '',
    ].join('\n'),
  );
  if (loads.bare.length > 0 && loads.lectern.length > 0) console.log(formatReport(loads));
  if (failed.length > 0) {
    console.log(`\n${failed.length} loads showed no frame:\n  ${failed.join('\n  ')}`);
  }
  return failed.length > 0 ? 1 : 0;
}

/**
 * One load in a fresh browser context with the cache off: the page's own first-frame time,
 * the end of each response it fetched, and (for Lectern) the CPU time the server spent.
 */
async function loadPage(url, lectern) {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await page.setCacheEnabled(false);
    const cpuBefore = lectern && (await ask(lectern.child, { type: 'cpu-usage' }, 'cpu')).usage;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: loadTimeoutMs });
    const handle = await page
      .waitForFunction(() => window.benchResult, { timeout: loadTimeoutMs, polling: 50 })
      .catch(() => undefined);
    const result = handle ? await handle.jsonValue() : { error: 'no frame within 30 s' };
    const resources = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((entry) => ({ name: entry.name, end: entry.responseEnd })),
    );
    // Requests still in flight (hls.js buffering ahead) end with the context.
    const cpuAfter = lectern && (await ask(lectern.child, { type: 'cpu-usage' }, 'cpu')).usage;
    return {
      ...result,
      milestones: milestonesOf(resources),
      lecternCpuMs: lectern && cpuMs(cpuBefore, cpuAfter),
    };
  } finally {
    await context.close();
  }
}

function milestonesOf(resources) {
  return Object.fromEntries(
    milestones.map(([label, pattern]) => {
      const ends = resources.filter((entry) => pattern.test(entry.name)).map((entry) => entry.end);
      return [label, ends.length > 0 ? Math.min(...ends) : undefined];
    }),
  );
}

function formatReport(loads) {
  const bare = loads.bare.map((load) => load.firstFrame);
  const lectern = loads.lectern.map((load) => load.firstFrame);
  const ms = (value) => (value === undefined ? '–' : String(Math.round(value)));
  const rows = [
    ['first frame', 'median ms', 'p90 ms', 'each load (ms)'],
    ['bare hls.js, unencrypted files', ms(median(bare)), ms(p90(bare)), bare.map(ms).join(' ')],
    [
      'lectern-player, encrypted via API',
      ms(median(lectern)),
      ms(p90(lectern)),
      lectern.map(ms).join(' '),
    ],
    [
      'ratio lectern / bare',
      `${(median(lectern) / median(bare)).toFixed(2)}×`,
      `${(p90(lectern) / p90(bare)).toFixed(2)}×`,
      '',
    ],
  ];
  const steps = [
    ['where the time goes (median ms from navigation start)', 'bare', 'lectern'],
    ...milestones.map(([label]) => [
      `  ${label}`,
      ms(median(present(loads.bare.map((load) => load.milestones[label])))),
      ms(median(present(loads.lectern.map((load) => load.milestones[label])))),
    ]),
    ['  first frame', ms(median(bare)), ms(median(lectern))],
    [
      '  Lectern CPU time per load (ms)',
      '–',
      ms(median(loads.lectern.map((load) => load.lecternCpuMs))),
    ],
  ];
  const ratio = median(lectern) / median(bare);
  return [
    table(rows),
    '',
    table(steps),
    '',
    `Conclusion: the player shows its first frame ${ratio.toFixed(2)}× as late as bare hls.js ` +
      `on plain files (${ms(median(lectern) - median(bare))} ms more at the median).`,
  ].join('\n');
}

function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((cells) => cells[column].length)));
  return rows
    .map((cells) =>
      cells
        .map((cell, column) =>
          column === 0 || column === 3
            ? cell.padEnd(widths[column])
            : cell.padStart(widths[column]),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function present(values) {
  return values.filter((value) => value !== undefined);
}

function median(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest rank: with six loads, the slowest. */
function p90(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.9 * sorted.length) - 1];
}

function cpuMs(before, after) {
  return (after.user - before.user + after.system - before.system) / 1000;
}

function readOptions() {
  const { values } = parseArgs({ options: { runs: { type: 'string' } } });
  return { runs: integer('runs', values.runs ?? process.env.BENCH_RUNS ?? '7', 2, 25) };
}
