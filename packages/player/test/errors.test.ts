/// <reference types="mocha" />
import { expectEqual } from '@lectern/test-support/dom';
import { mountPlayer, nextEvent, part, removeMounted, until, videos } from './support/helpers.js';

type ErrorDetail = { code: string; message: string };

describe('<lectern-player> failures', () => {
  afterEach(removeMounted);

  it('says in English that a video is not theirs to see, and names the code', async () => {
    const player = await mountPlayer({ video: videos.noAccess });
    const { detail } = await nextEvent<ErrorDetail>(player, 'lectern-error');

    const text = 'This video does not exist or you do not have access to it.';
    expectEqual(detail, { code: 'resource.not_found', message: text }, 'event');
    await player.updateComplete;
    expectEqual(part(player, 'error')?.getAttribute('role'), 'alert', 'role');
    expectEqual(part(player, 'error-message')?.textContent, text, 'message');
    expectEqual(part(player, 'big-play-button'), null, 'no play button');
  });

  it('says so in German when access is denied on a German page', async () => {
    const player = await mountPlayer({ video: videos.forbidden, lang: 'de' });
    const { detail } = await nextEvent<ErrorDetail>(player, 'lectern-error');

    expectEqual(detail.code, 'permission.denied', 'code');
    await player.updateComplete;
    expectEqual(
      part(player, 'error-message')?.textContent,
      'Sie haben keinen Zugriff auf dieses Video.',
      'message',
    );
    expectEqual(part(player, 'retry-button')?.textContent, 'Erneut versuchen', 'retry');
  });

  it('tells a person to wait while the video is still being processed', async () => {
    const player = await mountPlayer({ video: videos.processing });
    const { detail } = await nextEvent<ErrorDetail>(player, 'lectern-error');
    expectEqual(detail.code, 'playback.not_ready', 'code');
    expectEqual(player.error?.code, 'playback.not_ready', 'error property');
  });

  it('asks for a session when no token is sent', async () => {
    const player = await mountPlayer();
    player.token = '';
    player.tokenUrl = '';
    const { detail } = await nextEvent<ErrorDetail>(player, 'lectern-error');
    expectEqual(detail.code, 'player.not_configured', 'code');
  });

  it('reports player.network when the stream refuses its playback token', async () => {
    const player = await mountPlayer({ video: videos.expiredStream });
    await until(() => player.state === 'ready', 'the playback answer');
    const error = nextEvent<ErrorDetail>(player, 'lectern-error');
    await player.play();

    expectEqual((await error).detail.code, 'player.network', 'code');
    await player.updateComplete;
    expectEqual(
      part(player, 'error-message')?.textContent,
      'The video stopped loading. Check your connection and try again.',
      'message',
    );
  });

  it('reports network.failed when the server cannot be reached', async () => {
    const player = await mountPlayer({ attributes: { 'base-url': 'http://127.0.0.1:9' } });
    const { detail } = await nextEvent<ErrorDetail>(player, 'lectern-error');
    expectEqual(detail.code, 'network.failed', 'code');
  });
});
