// Upload ingest (a tus PATCH through Lectern, sealed, into the local media folder) beside a
// plain copy of the same file on the same file system and raw AES-256-GCM over the same
// bytes, all in one run. It prints ratios, never a pass mark: the machine's speed cancels out
// of them. Exits non-zero only when requests failed.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { aesGcm, kernelCopy, streamedCopy } from './disk-baselines.mjs';
import { ask, startTarget, stopTarget } from './target-process.mjs';
import { uploadClient } from './upload-client.mjs';
import { formatUploadReport } from './upload-report.mjs';
import { integer, progress } from './cli.mjs';

const mebibyte = 1024 * 1024;
// Lectern commits 64 KiB chunks in parts of 64 chunks.
const partBytes = 4 * mebibyte;
// One frame of 640×360 yuv420p.
const frameBytes = 640 * 360 * 1.5;

const options = readOptions();
const targets = [];
const folder = mkdtempSync(path.join(tmpdir(), 'lectern-bench-upload-'));
// Bounded in time whatever happens: start-up, the sample video, and per run two copies, one
// encryption and two uploads, at no worse than a few MiB/s on a loaded machine.
const budgetMs = (240 + options.runs * options.sizeMb * 1.0) * 1000;
const watchdog = setTimeout(() => {
  console.error(`bench: gave up after ${budgetMs / 1000} s`);
  for (const target of targets) {
    target.child.kill('SIGKILL');
    // Killed, Lectern cannot remove its data folder (`<tmp>/lectern-…/media`'s parent).
    const dataDir = path.dirname(target.storage.folder);
    if (path.basename(dataDir).startsWith('lectern-')) {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  rmSync(folder, { recursive: true, force: true });
  process.exit(2);
}, budgetMs);

try {
  process.exitCode = await bench();
} finally {
  await Promise.all(targets.map((target) => stopTarget(target.child)));
  rmSync(folder, { recursive: true, force: true });
  clearTimeout(watchdog);
}

async function bench() {
  progress(`making a ${options.sizeMb} MB uncompressed video with ffmpeg…`);
  const video = await makeVideo('talk.mkv', Math.round((options.sizeMb * 1e6) / frameBytes));
  const warmupVideo = await makeVideo('warm-up.mkv', 25);
  const bytes = statSync(video).size;

  const profileDir = options.cpuProf ? mkdtempSync(path.join(tmpdir(), 'lectern-bench-prof-')) : '';
  progress('starting Lectern…');
  const lectern = await startTarget('./targets/lectern.mjs', {
    execArgv: options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  targets.push(lectern);
  const sameFileSystem = statSync(folder).dev === statSync(lectern.storage.folder).dev;

  // Bounds a silent socket; the watchdog bounds the whole run.
  const client = uploadClient(lectern, { timeoutMs: 120_000 });
  const failed = [];
  try {
    progress('warming up: one small upload, copy and encryption…');
    await ingest(client, lectern, warmupVideo, statSync(warmupVideo).size);
    await streamedCopy(warmupVideo, path.join(folder, 'copy'));
    aesGcm(readFileSync(warmupVideo));

    const plaintext = readFileSync(video);
    const samples = [];
    // Interleaved, so that the other load of a shared machine falls on every measurement.
    for (let run = 1; run <= options.runs; run += 1) {
      progress(`run ${run} of ${options.runs}: copies, AES-256-GCM, two uploads…`);
      const sample = {
        kernelCopy: await locally(() => kernelCopy(video, path.join(folder, 'copy'))),
        streamedCopy: await locally(() => streamedCopy(video, path.join(folder, 'copy'))),
        aes: await locally(() => aesGcm(plaintext)),
      };
      try {
        sample.ingest = await ingest(client, lectern, video, bytes);
        sample.split = await ingestInTwo(client, lectern, video, bytes);
        samples.push(sample);
      } catch (error) {
        failed.push(error);
        progress(`run ${run}: ${error.message}`);
      }
    }

    console.log(
      [
        '',
        'Upload ingest through Lectern vs a plain copy and raw AES-256-GCM',
        `  file      ${(bytes / mebibyte).toFixed(1)} MiB uncompressed video (ffmpeg testsrc, ` +
          'rawvideo in Matroska), read from the page cache by every measurement',
        `  disk      ${folder}: the copies; Lectern's media: ${lectern.storage.folder}` +
          (sameFileSystem ? ' (same file system)' : ' (ANOTHER file system: ratios are off)'),
        `  database  ${lectern.database}`,
        `  upload    tus over loopback, streamed from disk by a client in this process; ` +
          'Lectern in a child process',
        `  runs      ${samples.length} of ${options.runs} complete, interleaved; medians below`,
        '  CPU s     of the process doing the work: this one for the baselines, Lectern for ' +
          'uploads (not ffprobe)',
        '',
      ].join('\n'),
    );
    if (samples.length > 0) console.log(formatUploadReport({ bytes, samples }));
    if (options.cpuProf) console.log(`\nCPU profile of the Lectern process: ${profileDir}`);
  } finally {
    client.close();
  }

  if (failed.length > 0) console.log(`\n${failed.length} uploads failed; see above.`);
  return failed.length > 0 ? 1 : 0;
}

/** One upload in a single PATCH, as a tus client with an unlimited chunk size sends it. */
async function ingest(client, lectern, file, bytes) {
  const upload = await client.create(path.basename(file), bytes);
  const { answer, cpu } = await inLectern(lectern, () => client.patch(upload, file, 0, bytes));
  await client.removeVideo(upload, answer.headers['lectern-video-id']);
  return { seconds: answer.seconds, cpu, tailSeconds: answer.tailSeconds };
}

/**
 * The same upload in two PATCHes: every part but the last, then the last part, whose PATCH
 * also joins the parts and probes the result. The second tells how long finalising takes.
 */
async function ingestInTwo(client, lectern, file, bytes) {
  const split = Math.floor((bytes - 1) / partBytes) * partBytes;
  const upload = await client.create(path.basename(file), bytes);
  const first = await inLectern(lectern, () => client.patch(upload, file, 0, split));
  const last = await inLectern(lectern, () => client.patch(upload, file, split, bytes));
  await client.removeVideo(upload, last.answer.headers['lectern-video-id']);
  return {
    receiving: { bytes: split, seconds: first.answer.seconds, cpu: first.cpu },
    final: { bytes: bytes - split, seconds: last.answer.seconds, cpu: last.cpu },
  };
}

/** A request's answer, and the CPU seconds the Lectern process spent meanwhile. */
async function inLectern(lectern, request) {
  const before = (await ask(lectern.child, { type: 'cpu-usage' }, 'cpu')).usage;
  const answer = await request();
  const after = (await ask(lectern.child, { type: 'cpu-usage' }, 'cpu')).usage;
  return { answer, cpu: cpuSeconds(before, after) };
}

/** A baseline's seconds, and the CPU seconds this process spent on it. */
async function locally(work) {
  const before = process.cpuUsage();
  const seconds = await work();
  return { seconds, cpu: cpuSeconds(before, process.cpuUsage()) };
}

function cpuSeconds(before, after) {
  return (after.user - before.user + after.system - before.system) / 1e6;
}

async function makeVideo(name, frames) {
  const file = path.join(folder, name);
  await promisify(execFile)(
    'ffmpeg',
    [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25'],
      ...['-frames:v', String(frames), '-c:v', 'rawvideo', '-pix_fmt', 'yuv420p', file],
    ],
    { timeout: 120_000 },
  );
  return file;
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      'size-mb': { type: 'string' },
      runs: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
    },
  });
  // The AES-GCM baseline holds the whole file in memory.
  return {
    sizeMb: integer('size-mb', values['size-mb'] ?? process.env.BENCH_UPLOAD_MB ?? '200', 8, 1000),
    runs: integer('runs', values.runs ?? process.env.BENCH_RUNS ?? '3', 1, 9),
    cpuProf: values['cpu-prof'],
  };
}
