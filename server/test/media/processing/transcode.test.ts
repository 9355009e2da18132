import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import { openObject } from '../../../src/media/crypto/object-opener.ts';
import { getTenantKey } from '../../../src/media/crypto/tenant-keys.ts';
import { unwrapContentKey } from '../../../src/media/processing/content-keys.ts';
import { posterObjectId } from '../../../src/media/processing/poster.ts';
import { segmentsOf } from '../../../src/media/processing/rendition-output.ts';
import { forEachDatabase } from '../../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../../support/lectern.ts';
import { makeMediaFiles } from '../../support/media-files.ts';
import { tusClient, uploadAll } from '../../support/tus.ts';

const run = promisify(execFile);
const files = makeMediaFiles();

forEachDatabase('transcoding an upload into encrypted HLS', (openDatabase) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let videoId: string;
  const scratch = mkdtempSync(path.join(tmpdir(), 'lectern-hls-check-'));

  before(async () => {
    lectern = await startTestLectern(await openDatabase(), {}, { jobs: 'queue-and-workers' });
    tenant = await lectern.createTenant();
    const author = await lectern.signIn(tenant, ['author']);
    const client = tusClient(lectern, author.token);
    const created = await client.create(files.mp4.length, { filename: 'talk.mp4' });
    videoId = created.headers.get('lectern-video-id') as string;
    await uploadAll(client, created.headers.get('location') as string, files.mp4, 1 << 20);
  });
  after(async () => {
    await lectern.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const storage = () => lectern.server.context.media.storage;
  async function read(key: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const part of await storage().get(key)) parts.push(part as Buffer);
    return Buffer.concat(parts);
  }

  it('a finished upload is processing first, then waits for review with its renditions', async () => {
    const row = await lectern.waitForState(videoId, 'in_review');
    assert.equal(row.state, 'in_review');
    assert.ok(row.poster_key);
    const moves = (await lectern.db('audit_log').where({ subject_id: videoId }).orderBy('id'))
      .map((entry) => entry.details)
      .filter((details) => details?.to);
    assert.deepEqual(
      moves.map((details) => `${details.from}->${details.to}`),
      ['uploading->processing', 'processing->in_review'],
    );
  });

  it('a 320x240 source gives one rendition at its own size, not upscaled', async () => {
    const renditions = await lectern.db('renditions').where({ video_id: videoId });
    assert.equal(renditions.length, 1);
    assert.equal(renditions[0].name, '360p');
    assert.equal(renditions[0].width, 320);
    assert.equal(renditions[0].height, 240);
    assert.equal(renditions[0].codecs, 'avc1.64001e,mp4a.40.2');
    assert.ok(renditions[0].bandwidth > 10_000);
    assert.equal(renditions[0].content_key.length, 60);
  });

  it('the stored playlist names AES-128 segments that ffprobe cannot read without the key', async () => {
    const rendition = await lectern.db('renditions').where({ video_id: videoId }).first();
    assert.match(
      rendition.playlist_key,
      new RegExp(`^tenants/${tenant.id}/videos/${videoId}/hls/[0-9a-f-]{36}/360p/index\\.m3u8$`),
    );
    const playlist = (await read(rendition.playlist_key)).toString('utf8');
    assert.match(playlist, /#EXT-X-PLAYLIST-TYPE:VOD/);
    assert.match(playlist, /#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x[0-9a-f]{32}/i);
    const segments = segmentsOf(playlist);
    assert.ok(segments.length >= 1);
    assert.ok(segments.every((segment) => /^seg-\d{5}\.ts$/.test(segment.uri)));

    const folder = rendition.playlist_key.slice(0, -'index.m3u8'.length);
    for (const segment of segments) {
      writeFileSync(path.join(scratch, segment.uri), await read(`${folder}${segment.uri}`));
    }
    await assert.rejects(
      run('ffprobe', ['-v', 'error', path.join(scratch, (segments[0] as { uri: string }).uri)]),
      (error: { stderr?: string }) => /Invalid data/.test(error.stderr ?? ''),
    );

    const tenantKey = await getTenantKey(
      lectern.db,
      lectern.server.context.media.keyring,
      tenant.id,
    );
    const key = unwrapContentKey(
      tenantKey,
      { videoId, renditionName: '360p' },
      rendition.content_key,
    );
    const keyServer = http.createServer((_request, response) => response.end(key));
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = keyServer.address() as AddressInfo;
      const local = path.join(scratch, 'local.m3u8');
      writeFileSync(local, playlist.replace('URI="key"', `URI="http://127.0.0.1:${port}/k"`));
      const { stdout } = await run('ffprobe', [
        '-v',
        'error',
        '-protocol_whitelist',
        'file,http,tcp,crypto',
        '-count_frames',
        '-show_entries',
        'stream=codec_name,width,height,nb_read_frames',
        '-of',
        'json',
        local,
      ]);
      const streams = (JSON.parse(stdout) as { streams: Record<string, unknown>[] }).streams;
      const video = streams.find((stream) => stream.codec_name === 'h264');
      assert.equal(video?.width, 320);
      assert.ok(Number(video?.nb_read_frames) >= 45, `frames: ${video?.nb_read_frames}`);
      assert.ok(streams.some((stream) => stream.codec_name === 'aac'));
    } finally {
      keyServer.closeAllConnections();
      keyServer.close();
    }
  });

  it('the poster is stored sealed and opens to a JPEG', async () => {
    const row = await lectern.db('videos').where({ id: videoId }).first();
    assert.equal(row.poster_key, `tenants/${tenant.id}/videos/${videoId}/poster`);
    const sealed = await read(row.poster_key);
    assert.notEqual(sealed.subarray(0, 2).toString('hex'), 'ffd8');
    const tenantKey = await getTenantKey(
      lectern.db,
      lectern.server.context.media.keyring,
      tenant.id,
    );
    const parts: Buffer[] = [];
    for await (const part of await openObject({
      tenantKey,
      objectId: posterObjectId(videoId),
      ciphertext: sealed,
    }))
      parts.push(part as Buffer);
    assert.equal(Buffer.concat(parts).subarray(0, 2).toString('hex'), 'ffd8');
  });
});
