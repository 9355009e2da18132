import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  masterPlaylist,
  playbackUrls,
  rewriteMediaPlaylist,
} from '../../../src/media/playback/playlists.ts';
import { encodedHls } from './support.ts';

const urls = playbackUrls('https://lectern.example', 'TOKEN');

const rotating = [
  '#EXTM3U',
  '#EXT-X-VERSION:3',
  '#EXT-X-TARGETDURATION:2',
  '#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x000102030405060708090a0b0c0d0e0f',
  '#EXTINF:2.0,',
  'seg-00000.ts',
  '#EXTINF:2.0,',
  'seg-00001.ts',
  '#EXT-X-KEY:METHOD=AES-128,URI="key2",IV=0x0f0e0d0c0b0a09080706050403020100',
  '#EXTINF:1.5,',
  'seg-00002.ts',
  '#EXT-X-ENDLIST',
  '',
].join('\n');

it('rewriting keeps the segments in order and points every key line at the viewer key URL', () => {
  const rewritten = rewriteMediaPlaylist(rotating, '360p', urls).split('\n');
  const keyLines = rewritten.filter((line) => line.startsWith('#EXT-X-KEY:'));
  assert.equal(keyLines.length, 2);
  for (const line of keyLines) {
    assert.match(line, /URI="https:\/\/lectern\.example\/api\/v1\/playback\/TOKEN\/360p\/key"/);
  }
  assert.match(keyLines[1] as string, /IV=0x0f0e0d0c/, 'the IV stays as the transcoder wrote it');
  assert.deepEqual(
    rewritten.filter((line) => !line.startsWith('#') && line !== ''),
    ['seg-00000.ts', 'seg-00001.ts', 'seg-00002.ts'].map(
      (name) => `https://lectern.example/api/v1/playback/TOKEN/360p/${name}`,
    ),
  );
  assert.deepEqual(
    rewritten.filter((line) => line.startsWith('#') && !line.startsWith('#EXT-X-KEY')),
    rotating.split('\n').filter((line) => line.startsWith('#') && !line.startsWith('#EXT-X-KEY')),
    'every other tag stays where it was',
  );
});

it("rewriting ffmpeg's own playlist leaves no line that names the stored key", () => {
  const hls = encodedHls();
  const rewritten = rewriteMediaPlaylist(hls.playlist, '360p', urls);
  assert.ok(hls.segments.length >= 2);
  assert.doesNotMatch(rewritten, /URI="key"/);
  const segments = rewritten.split('\n').filter((line) => line.startsWith('https://'));
  assert.deepEqual(
    segments,
    hls.segments.map((name) => urls.segment('360p', name)),
  );
});

it('a playlist naming anything but a transcoder segment is refused, not passed on', () => {
  for (const line of ['../other-tenant/seg-00000.ts', 'https://evil.example/seg.ts', 'seg-1.ts']) {
    assert.throws(
      () => rewriteMediaPlaylist(`#EXTM3U\n#EXTINF:2.0,\n${line}\n`, '360p', urls),
      /not served/,
    );
  }
});

it('the master playlist lists each rendition with bandwidth, resolution and codecs', () => {
  const master = masterPlaylist(
    [
      {
        name: '360p',
        width: 640,
        height: 360,
        bandwidth: 800_000,
        codecs: 'avc1.4d401e,mp4a.40.2',
      },
      {
        name: '720p',
        width: 1280,
        height: 720,
        bandwidth: 2_800_000,
        codecs: 'avc1.4d401f,mp4a.40.2',
      },
    ].map((rendition) => ({
      ...rendition,
      id: rendition.name,
      playlistKey: '',
      wrappedContentKey: new Uint8Array(),
    })),
    urls,
  );
  assert.equal(
    master,
    [
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2"',
      'https://lectern.example/api/v1/playback/TOKEN/360p/index.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720,CODECS="avc1.4d401f,mp4a.40.2"',
      'https://lectern.example/api/v1/playback/TOKEN/720p/index.m3u8',
      '',
    ].join('\n'),
  );
});
