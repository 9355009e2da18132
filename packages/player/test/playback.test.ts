/// <reference types="mocha" />
import { expectEqual } from '@lectern/test-support/dom';
import {
  decodedFrame,
  fetched,
  mountPlayer,
  nextEvent,
  part,
  removeMounted,
  until,
  must,
  videoOf,
} from './support/helpers.js';

// The first test of this file must run before anything has loaded the engine on this page.
describe('<lectern-player> playback', () => {
  afterEach(removeMounted);

  it('shows the poster at once and loads the engine only when playback is asked for', async () => {
    const player = await mountPlayer();
    await until(() => player.state === 'ready', 'the playback answer');
    const poster = part<HTMLImageElement>(player, 'poster');
    await until(() => poster?.complete === true && poster.naturalWidth > 0, 'the poster image');

    expectEqual(fetched('hls-engine').length, 0, 'engine module requests before play');
    expectEqual(fetched('hls.js').length, 0, 'hls.js requests before play');
    expectEqual(fetched('.m3u8').length, 0, 'playlist requests before play');
    expectEqual(part(player, 'big-play-button')?.tagName, 'BUTTON', 'the big play button');

    const played = nextEvent<{ currentTime: number }>(player, 'lectern-play');
    must(player, 'big-play-button').click();
    await played;

    expectEqual(fetched('hls-engine').length, 1, 'engine module requests after play');
    expectEqual(fetched('hls.js').length > 0, true, 'hls.js was fetched after play');
    expectEqual(part(player, 'poster'), null, 'the poster is gone');
  });

  it('decodes frames of the encrypted stream and moves on through it', async () => {
    const player = await mountPlayer();
    await until(() => player.state === 'ready', 'the playback answer');
    const events: string[] = [];
    for (const type of ['lectern-play', 'lectern-progress', 'lectern-ended']) {
      player.addEventListener(type, () => events.push(type));
    }

    await player.play();
    const frames = await decodedFrame(videoOf(player));
    await until(() => player.currentTime > 0.5, 'the position to advance');

    expectEqual(frames > 0, true, 'frames presented');
    expectEqual(
      player.duration > 11.5 && player.duration < 12.5,
      true,
      'the duration is about 12 s',
    );
    expectEqual(fetched('.bin').length > 0, true, 'the AES-128 key was fetched');
    expectEqual(events.slice(0, 1), ['lectern-play'], 'first event');
    await until(() => events.includes('lectern-progress'), 'a progress event');

    const ended = nextEvent<{ duration: number }>(player, 'lectern-ended');
    player.currentTime = player.duration - 0.5;
    await ended;
  });

  it('starts at the `start` position', async () => {
    const player = await mountPlayer({ attributes: { start: '2' } });
    await until(() => player.state === 'ready', 'the playback answer');
    await player.play();
    await decodedFrame(videoOf(player));
    expectEqual(player.currentTime >= 2, true, `starts at 2 s (was ${player.currentTime})`);
  });

  it('plays by itself with `autoplay`', async () => {
    const player = await mountPlayer({ attributes: { autoplay: '' } });
    await nextEvent(player, 'lectern-play');
    await until(() => player.currentTime > 0.2, 'the position to advance');
  });

  it('reports progress at most once a second, with the position and duration', async function () {
    this.timeout(8000);
    const player = await mountPlayer();
    await until(() => player.state === 'ready', 'the playback answer');
    const progress: { currentTime: number; duration: number }[] = [];
    player.addEventListener('lectern-progress', (event) => {
      progress.push((event as CustomEvent<{ currentTime: number; duration: number }>).detail);
    });
    await player.play();
    await until(() => player.currentTime > 2.2, 'two seconds of playback', 6000);

    expectEqual(progress.length >= 1 && progress.length <= 3, true, `${progress.length} events`);
    expectEqual(
      progress.every((each) => each.duration > 11.5),
      true,
      'duration in every event',
    );
  });
});
