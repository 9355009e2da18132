// What the playback benches share: a real video made with ffmpeg, taken through Lectern's own
// API from upload to publication (tus upload, transcoding on pg-boss, a critic's approval), a
// viewer's playback URLs, and copies of the renditions on disk for the baselines to serve.
import { execFile } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { embedToken, uploadClient } from './upload-client.mjs';

/**
 * A test picture with a tone, H.264 and AAC in MP4, as a person would upload it. 720p, so
 * that the ladder yields two renditions (360p and 720p) of 4-second segments.
 */
export async function makeSampleVideo(folder, { seconds = 30, width = 1280, height = 720 } = {}) {
  const file = path.join(folder, 'training.mp4');
  await promisify(execFile)(
    'ffmpeg',
    [
      ...['-v', 'error', '-y'],
      ...['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=25:duration=${seconds}`],
      ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
      ...['-c:a', 'aac', '-shortest', file],
    ],
    { timeout: 120_000 },
  );
  return file;
}

/**
 * Uploads `file` as an author, waits until the transcoding job has made the renditions,
 * has a critic approve the video, and signs a viewer in. Every step is an API request.
 */
export async function publishVideo(lectern, file, { size, transcodeTimeoutMs = 180_000 }) {
  const client = uploadClient(lectern, { timeoutMs: 120_000 });
  let upload;
  let answer;
  try {
    upload = await client.create(path.basename(file), size);
    answer = await client.patch(upload, file, 0, size);
  } finally {
    client.close();
  }
  const videoId = answer.headers['lectern-video-id'];
  const author = upload.tus.authorization.slice('Bearer '.length);

  const started = performance.now();
  for (;;) {
    const video = await api(lectern, 'GET', `/api/v1/videos/${videoId}`, { token: author });
    if (video.state === 'in_review') break;
    if (video.state !== 'processing') {
      throw new Error(`the video went to "${video.state}" instead of in_review`);
    }
    if (performance.now() - started > transcodeTimeoutMs) {
      throw new Error(`transcoding took longer than ${transcodeTimeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const transcodeSeconds = (performance.now() - started) / 1000;

  const critic = await signIn(lectern, 'bench-critic', ['critic']);
  const decided = await api(lectern, 'POST', `/api/v1/videos/${videoId}/review`, {
    token: critic,
    body: { decision: 'approve', comment: 'benchmark' },
  });
  if (decided.state !== 'published') throw new Error(`approved, but "${decided.state}"`);
  const viewerToken = await signIn(lectern, 'bench-viewer', ['viewer']);
  return { videoId, viewerToken, transcodeSeconds };
}

/**
 * What the viewer's player would fetch before the first segment: the playback answer, the
 * master playlist, each rendition's playlist, with every key and segment URL (absolute,
 * tokened) and the IV each segment is encrypted with.
 */
export async function playbackOf(lectern, videoId, viewerToken) {
  const playback = await api(lectern, 'GET', `/api/v1/videos/${videoId}/playback`, {
    token: viewerToken,
  });
  const master = await text(playback.playlistUrl);
  const renditions = [];
  for (const url of uris(master)) {
    // …/playback/<token>/<rendition>/index.m3u8
    const name = decodeURIComponent(new URL(url).pathname.split('/').at(-2));
    renditions.push({ name, url, ...parseMediaPlaylist(await text(url)) });
  }
  return { ...playback, master, renditions };
}

/**
 * Copies the renditions into `folder` as a static server would serve them: `master.m3u8`,
 * `<rendition>/index.m3u8` and the segments, all with relative URLs. `decrypt: true` writes
 * plain MPEG-TS and playlists without key lines (the unencrypted baseline); otherwise the
 * segments stay the ciphertext Lectern serves and each rendition's key lies beside them as
 * `<rendition>/key`. Answers the bytes of segments written.
 */
export async function mirrorPlayback(playback, folder, { decrypt }) {
  let segmentBytes = 0;
  let master = playback.master;
  for (const rendition of playback.renditions) {
    master = master.replace(rendition.url, `${encodeURIComponent(rendition.name)}/index.m3u8`);
    const dir = path.join(folder, rendition.name);
    mkdirSync(dir, { recursive: true });
    const keys = new Map();
    for (const segment of rendition.segments) {
      if (segment.key && !keys.has(segment.key.url)) {
        keys.set(segment.key.url, await bytes(segment.key.url));
      }
      let body = await bytes(segment.url);
      if (decrypt && segment.key) {
        const decipher = createDecipheriv('aes-128-cbc', keys.get(segment.key.url), segment.iv);
        body = Buffer.concat([decipher.update(body), decipher.final()]);
      }
      writeFileSync(path.join(dir, segment.name), body);
      segmentBytes += body.length;
    }
    if (keys.size > 1) throw new Error(`${rendition.name}: more than one key; not mirrored`);
    const [key] = keys.values();
    if (key && !decrypt) writeFileSync(path.join(dir, 'key'), key);
    writeFileSync(path.join(dir, 'index.m3u8'), relativePlaylist(rendition, { decrypt }));
  }
  writeFileSync(path.join(folder, 'master.m3u8'), master);
  return segmentBytes;
}

/** Segments in order, each with its key line (if any) and IV; the playlist's own text. */
function parseMediaPlaylist(playlist) {
  const segments = [];
  let sequence = 0;
  let key;
  for (const line of playlist.split(/\r?\n/)) {
    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) sequence = Number(line.split(':')[1]);
    else if (line.startsWith('#EXT-X-KEY:')) key = parseKeyLine(line);
    else if (line && !line.startsWith('#')) {
      // Without an IV attribute, the IV is the media sequence number, big-endian in 16 bytes.
      const iv = key?.iv ?? Buffer.alloc(16);
      if (key && !key.iv) iv.writeBigUInt64BE(BigInt(sequence), 8);
      segments.push({ url: line, name: path.posix.basename(new URL(line).pathname), key, iv });
      sequence += 1;
    }
  }
  return { playlist, segments };
}

function parseKeyLine(line) {
  if (/METHOD=NONE/.test(line)) return undefined;
  if (!/METHOD=AES-128/.test(line)) throw new Error(`a key line the bench cannot read: ${line}`);
  const iv = /IV=0[xX]([0-9a-fA-F]{32})/.exec(line)?.[1];
  return { url: /URI="([^"]*)"/.exec(line)[1], iv: iv && Buffer.from(iv, 'hex') };
}

/** The rendition's playlist with bare segment names, and the key as `key` or not at all. */
function relativePlaylist(rendition, { decrypt }) {
  const names = new Map(rendition.segments.map((segment) => [segment.url, segment.name]));
  return rendition.playlist
    .split('\n')
    .filter((line) => !(decrypt && line.startsWith('#EXT-X-KEY:')))
    .map((line) => {
      if (line.startsWith('#EXT-X-KEY:')) return line.replace(/URI="[^"]*"/, 'URI="key"');
      return names.get(line) ?? line;
    })
    .join('\n');
}

function uris(playlist) {
  return playlist.split(/\r?\n/).filter((line) => line && !line.startsWith('#'));
}

async function signIn(lectern, sub, roles) {
  const session = await api(lectern, 'POST', '/api/v1/sessions', {
    body: { token: embedToken(lectern, sub, roles) },
  });
  return session.token;
}

/** One JSON request to the API; anything but a 2xx is an error naming the answer. */
async function api(lectern, method, route, { token, body } = {}) {
  const response = await fetch(`${lectern.url}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body && JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const answer = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${answer}`);
  return JSON.parse(answer);
}

async function text(url) {
  return (await bytes(url)).toString('utf8');
}

async function bytes(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}
