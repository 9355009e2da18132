import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { temporaryFolder } from './temp-folder.ts';

/** Real video files made by ffmpeg for a test run, in a folder of their own. */
export function makeMediaFiles() {
  const folder = temporaryFolder('lectern-fixtures-');
  const ffmpeg = (...args: string[]) =>
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });

  // H.264 + AAC in MP4 with the index (moov) at the end, as cameras write it.
  const mp4 = path.join(folder, 'talk.mp4');
  ffmpeg(
    '-f',
    'lavfi',
    '-i',
    'testsrc=duration=2:size=320x240:rate=25',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=2',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-c:a',
    'aac',
    '-shortest',
    mp4,
  );
  // Uncompressed video: about 10 MB, so that an upload spans several parts.
  const large = path.join(folder, 'large.mkv');
  ffmpeg(
    '-f',
    'lavfi',
    '-i',
    'testsrc=duration=3.5:size=320x240:rate=25',
    '-c:v',
    'rawvideo',
    '-pix_fmt',
    'yuv420p',
    large,
  );

  return {
    folder,
    mp4: readFileSync(mp4),
    large: readFileSync(large),
    /** A text file that claims to be a video. */
    fake: Buffer.from('This is not a video, whatever its name says.\n'.repeat(2000)),
  };
}

/** Several 64-byte windows of a file, spread over it, to search for elsewhere. */
export function windowsOf(file: Buffer, count = 8): Buffer[] {
  const windows: Buffer[] = [];
  for (let index = 0; index < count; index += 1) {
    const start = Math.floor(((file.length - 64) * (index + 0.5)) / count);
    windows.push(file.subarray(start, start + 64));
  }
  return windows;
}

/** The bytes of one file ffmpeg writes from `args` (its output named `fileName` last). */
export function ffmpegOutput(fileName: string, args: readonly string[]): Buffer {
  const folder = mkdtempSync(path.join(tmpdir(), 'lectern-fixtures-'));
  const file = path.join(folder, fileName);
  try {
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, file]);
    return readFileSync(file);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
