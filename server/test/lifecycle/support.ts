import { execFileSync } from 'node:child_process';
import { createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sealStream } from '../../src/media/crypto/index.ts';
import { mediaKeys, originalObjectId, tenantKeyFor } from '../../src/media/media-services.ts';
import { wrapContentKey } from '../../src/media/processing/content-keys.ts';
import { posterObjectId } from '../../src/media/processing/poster.ts';
import { saveTrack } from '../../src/media/tracks/text-tracks.ts';
import type { TestLectern, TestTenant } from '../support/lectern.ts';
import { temporaryFolder } from '../support/temp-folder.ts';
import { makeVideo } from '../support/videos.ts';

/** A rendition ffmpeg encrypted with its own key, from a picture and tone of its own. */
interface OwnHls {
  folder: string;
  contentKey: Buffer;
  playlist: string;
  segments: string[];
  /** The first segment's plaintext, as ffmpeg produced it before encrypting. */
  clearSegment: Buffer;
  poster: Buffer;
}

const encodings = new Map<string, OwnHls>();

/** Two seconds of `source` (an ffmpeg lavfi picture) in AES-128 segments; made once a run. */
function ownHls(source: string, tone: number): OwnHls {
  const known = encodings.get(source);
  if (known) return known;
  const folder = temporaryFolder('lectern-fixtures-hls-');
  const contentKey = randomBytes(16);
  const iv = randomBytes(16);
  writeFileSync(path.join(folder, 'content.key'), contentKey);
  writeFileSync(
    path.join(folder, 'key-info'),
    `key\n${path.join(folder, 'content.key')}\n${iv.toString('hex')}\n`,
  );
  const ffmpeg = (...args: string[]) =>
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], {
      cwd: folder,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  ffmpeg(
    ...['-f', 'lavfi', '-i', `${source}=duration=2:size=320x240:rate=25`],
    ...['-f', 'lavfi', '-i', `sine=frequency=${tone}:duration=2`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-g', '25'],
    ...['-hls_time', '1', '-hls_playlist_type', 'vod', '-hls_key_info_file', 'key-info'],
    ...['-hls_segment_filename', 'seg-%05d.ts', 'index.m3u8'],
  );
  ffmpeg('-f', 'lavfi', '-i', `${source}=size=320x240`, '-frames:v', '1', 'poster.jpg');
  const segments = readdirSync(folder)
    .filter((name) => name.endsWith('.ts'))
    .sort();
  const first = readFileSync(path.join(folder, segments[0] as string));
  const decipher = createDecipheriv('aes-128-cbc', contentKey, iv);
  const hls = {
    folder,
    contentKey,
    playlist: readFileSync(path.join(folder, 'index.m3u8'), 'utf8'),
    segments,
    clearSegment: Buffer.concat([decipher.update(first), decipher.final()]),
    poster: readFileSync(path.join(folder, 'poster.jpg')),
  };
  encodings.set(source, hls);
  return hls;
}

/** What a tenant was given, and what must never be found again once it is terminated. */
export interface TenantWithMedia {
  tenant: TestTenant;
  name: string;
  videoId: string;
  /** The original upload's plaintext, of this tenant alone. */
  original: Buffer;
  hls: OwnHls;
  /** Text that identifies the tenant or its people: names, titles, ids. */
  marks: string[];
  rowCounts: Record<string, number>;
}

/**
 * A tenant with an admin, a published video that plays (rendition, poster, captions, an
 * original), a quiz with a participant, an attempt and a grade on its way to an LMS.
 */
export async function tenantWithMedia(
  lectern: TestLectern,
  label: 'alpha' | 'beta',
): Promise<TenantWithMedia> {
  const tenant = await lectern.createTenant(`${label}-${randomUUID().slice(0, 6)}`);
  const name = `Tenant ${tenant.slug}`;
  const db = lectern.db;
  const media = lectern.server.context.media;
  const admin = await lectern.signIn(tenant, ['admin'], `${label}-admin`);
  const learner = await lectern.signIn(tenant, ['viewer'], `${label}-learner`);
  const displayName = `${label === 'alpha' ? 'Alma' : 'Bernd'} Quizmaster-${tenant.slug}`;
  await db('users').where({ id: learner.user.id }).update({ display_name: displayName });

  const title = `${label} onboarding ${randomUUID().slice(0, 6)}`;
  const video = await makeVideo(db, {
    tenantId: tenant.id,
    ownerId: admin.user.id,
    state: 'published',
    title,
  });
  const hls = label === 'alpha' ? ownHls('testsrc', 440) : ownHls('smptebars', 880);
  const tenantKey = await tenantKeyFor(db, media, tenant.id);
  const folder = `tenants/${tenant.id}/videos/${video.id}/hls/1/360p/`;
  await media.storage.put(`${folder}index.m3u8`, Buffer.from(hls.playlist));
  for (const segment of hls.segments) {
    await media.storage.put(`${folder}${segment}`, readFileSync(path.join(hls.folder, segment)));
  }
  await db('renditions').insert({
    id: randomUUID(),
    tenant_id: tenant.id,
    video_id: video.id,
    name: '360p',
    width: 320,
    height: 240,
    bandwidth: 400_000,
    codecs: 'avc1.42c00d,mp4a.40.2',
    playlist_key: `${folder}index.m3u8`,
    content_key: wrapContentKey(
      tenantKey,
      { videoId: video.id, renditionName: '360p' },
      hls.contentKey,
    ),
  });
  const posterKey = `tenants/${tenant.id}/videos/${video.id}/poster`;
  await media.storage.put(
    posterKey,
    sealStream(hls.poster, { tenantKey, objectId: posterObjectId(video.id) }),
  );

  // The original as an upload leaves it: sealed under the tenant key, its length in the row.
  const original = Buffer.concat([
    readFileSync(path.join(hls.folder, hls.segments[0] as string)),
    randomBytes(70_000),
  ]);
  await media.storage.put(
    mediaKeys.original(tenant.id, video.id),
    sealStream(original, { tenantKey, objectId: originalObjectId(video.id) }),
  );
  await db('videos')
    .where({ id: video.id })
    .update({
      poster_key: posterKey,
      original_key: mediaKeys.original(tenant.id, video.id),
      original_size: original.length,
    });
  await saveTrack(
    db,
    media,
    video,
    {
      kind: 'captions',
      language: 'de',
      label: 'Deutsch',
      text: `WEBVTT\n\n00:00.000 --> 00:01.000\n${title}\n`,
      cues: 1,
    },
    'cli',
  );

  await quizRows(lectern, tenant.id, video.id, learner.user.id, label);
  return {
    tenant,
    name,
    videoId: video.id,
    original,
    hls,
    marks: [
      tenant.id,
      tenant.slug,
      name,
      title,
      displayName,
      video.id,
      admin.user.id,
      learner.user.id,
      tenant.keyId,
    ],
    rowCounts: {},
  };
}

/** A quiz, its participant, an attempt and a grade post, written as the quiz domain stores them. */
async function quizRows(
  lectern: TestLectern,
  tenantId: string,
  videoId: string,
  userId: string,
  label: string,
): Promise<void> {
  const db = lectern.db;
  const platformId = randomUUID();
  const linkId = randomUUID();
  const quizId = randomUUID();
  const participantId = randomUUID();
  await db('lti_platforms').insert({
    id: platformId,
    tenant_id: tenantId,
    issuer: `https://${label}-${tenantId.slice(0, 8)}.lms.example`,
    client_id: `client-${tenantId.slice(0, 8)}`,
    auth_url: 'https://lms.example/auth',
    token_url: 'https://lms.example/token',
    jwks_url: 'https://lms.example/jwks',
    deployment_ids: JSON.stringify(['1']),
  });
  await db('lti_resource_links').insert({
    id: linkId,
    tenant_id: tenantId,
    platform_id: platformId,
    deployment_id: '1',
    resource_link_id: `link-${label}`,
    ags: JSON.stringify({ lineitem: 'https://lms.example/lineitem/1' }),
  });
  await db('quizzes').insert({
    id: quizId,
    tenant_id: tenantId,
    video_id: videoId,
    owner_id: userId,
    title: `${label} safety quiz`,
    settings: JSON.stringify({ anonymous: false }),
    questions: JSON.stringify([
      { id: 'q1', type: 'single', prompt: `Where is the ${label} exit?` },
    ]),
  });
  await db('quiz_participants').insert({
    id: participantId,
    tenant_id: tenantId,
    quiz_id: quizId,
    user_id: userId,
    participant_key: randomBytes(16).toString('hex'),
    pseudonym: `${label}-owl`,
  });
  await db('quiz_attempts').insert({
    id: randomUUID(),
    tenant_id: tenantId,
    quiz_id: quizId,
    participant_id: participantId,
    number: 1,
    answers: JSON.stringify({ q1: 'a' }),
    submitted_at: new Date(),
    score: 1,
    max_score: 1,
    marks: JSON.stringify({ q1: 1 }),
  });
  await db('quiz_grade_posts').insert({
    id: randomUUID(),
    tenant_id: tenantId,
    quiz_id: quizId,
    participant_id: participantId,
    resource_link_id: linkId,
    score: 1,
    max_score: 1,
    state: 'posted',
  });
  await db('lti_link_learners').insert({
    tenant_id: tenantId,
    resource_link_id: linkId,
    user_id: userId,
    platform_user: `${label}-platform-user`,
  });
  await db('lti_store').insert({
    collection: 'platform',
    record_key: JSON.stringify([`https://${label}-${tenantId.slice(0, 8)}.lms.example`]),
    document: JSON.stringify({
      platformUrl: `https://${label}-${tenantId.slice(0, 8)}.lms.example`,
      clientId: `client-${tenantId.slice(0, 8)}`,
      kid: `kid-${tenantId}`,
    }),
    created_at: new Date(),
  });
}

/** Plays the video as a viewer would: playlist, key, first segment, decrypted; answers it. */
export async function playFirstSegment(
  lectern: TestLectern,
  tenant: TestTenant,
  videoId: string,
): Promise<Buffer> {
  const viewer = await lectern.signIn(tenant, ['viewer']);
  const playback = await lectern.request('GET', `/api/v1/videos/${videoId}/playback`, {
    token: viewer.token,
  });
  if (playback.status !== 200) throw new Error(`playback answered ${playback.status}`);
  const base = (playback.body.playlistUrl as string).replace('/master.m3u8', '');
  const playlist = await (await fetch(`${base}/360p/index.m3u8`)).text();
  const key = Buffer.from(await (await fetch(`${base}/360p/key`)).arrayBuffer());
  const iv = Buffer.from(/IV=0x([0-9a-f]{32})/i.exec(playlist)?.[1] ?? '', 'hex');
  const first = playlist.split('\n').find((line) => line.startsWith('http')) as string;
  const segment = Buffer.from(await (await fetch(first)).arrayBuffer());
  const decipher = createDecipheriv('aes-128-cbc', key, iv);
  return Buffer.concat([decipher.update(segment), decipher.final()]);
}

/** 64-byte windows of a buffer, to search for elsewhere. */
export function windows(file: Buffer, count = 8): Buffer[] {
  const found: Buffer[] = [];
  for (let index = 0; index < count; index += 1) {
    const start = Math.floor(((file.length - 64) * (index + 0.5)) / count);
    found.push(file.subarray(start, start + 64));
  }
  return found;
}
