/// <reference types="mocha" />
import { expectEqual } from '@lectern/test-support/dom';
import {
  fetched,
  mountPlayer,
  must,
  nextEvent,
  part,
  removeMounted,
  until,
  videoOf,
  videos,
} from './support/helpers.js';

function modes(player: HTMLElement & { media: HTMLVideoElement | null }) {
  return Object.fromEntries(
    [...(player.media?.textTracks ?? [])].map((track) => [
      `${track.kind}:${track.language}`,
      track.mode,
    ]),
  );
}

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change'));
}

function press(player: HTMLElement, key: string): void {
  must(player as never, 'player').dispatchEvent(
    new KeyboardEvent('keydown', { key, bubbles: true, composed: true }),
  );
}

describe('<lectern-player> captions, subtitles and chapters', () => {
  afterEach(removeMounted);

  it('offers captions and subtitles in a menu, off until a person chooses', async () => {
    const player = await mountPlayer({ video: videos.withTracks, lang: 'de' });
    await until(() => player.state === 'ready', 'the playback answer');
    await player.updateComplete;
    const menu = must<HTMLSelectElement>(player, 'captions');
    expectEqual(menu.getAttribute('aria-label'), 'Untertitel', 'the menu is named');
    expectEqual(
      [...menu.options].map((option) => option.textContent?.trim()),
      ['Aus', 'Deutsch', 'English'],
      'the choices',
    );
    expectEqual(
      modes(player),
      { 'captions:de': 'disabled', 'subtitles:en': 'disabled', 'chapters:de': 'hidden' },
      'nothing is shown at first; the chapters of the page language are read',
    );

    choose(menu, '1');
    await player.updateComplete;
    expectEqual(modes(player)['subtitles:en'], 'showing', 'English subtitles after choosing');
    expectEqual(modes(player)['captions:de'], 'disabled', 'one language at a time');

    press(player, 'c');
    await player.updateComplete;
    expectEqual(modes(player)['subtitles:en'], 'disabled', 'c hides them');
    expectEqual(menu.value, '-1', 'the menu says off');
    press(player, 'c');
    await player.updateComplete;
    expectEqual(modes(player)['subtitles:en'], 'showing', 'c brings back the last choice');
  });

  it('the c key first picks the captions in the page language', async () => {
    const player = await mountPlayer({ video: videos.withTracks, lang: 'de' });
    await until(() => player.state === 'ready', 'the playback answer');
    press(player, 'c');
    await player.updateComplete;
    expectEqual(modes(player)['captions:de'], 'showing', 'German captions');
  });

  it('lists the chapters in the page language and jumps to the one chosen', async function () {
    this.timeout(10000);
    performance.clearResourceTimings();
    // A player of an earlier test may still finish its fetches: only this one's count.
    const since = performance.now();
    const player = await mountPlayer({ video: videos.withTracks, lang: 'en' });
    await until(() => player.state === 'ready', 'the playback answer');
    await until(() => part(player, 'chapters') !== null, 'the chapter menu', 5000);
    const chapters = must<HTMLSelectElement>(player, 'chapters');
    expectEqual(chapters.getAttribute('aria-label'), 'Chapters', 'the menu is named');
    expectEqual(
      [...chapters.options].map((option) => option.textContent?.replace(/\s+/g, ' ').trim()),
      ['0:00 Welcome', '0:04 Safety'],
      'the chapters with their start',
    );
    expectEqual(fetched('chapters-de.vtt', since).length, 0, 'the other language is not fetched');

    await player.play();
    choose(chapters, '1');
    await until(() => videoOf(player).currentTime >= 4, 'the jump to the second chapter');
    await player.updateComplete;
    expectEqual(must<HTMLSelectElement>(player, 'chapters').value, '1', 'the chapter playing');
  });

  it('no menus for a video without tracks', async () => {
    const player = await mountPlayer();
    await until(() => player.state === 'ready', 'the playback answer');
    expectEqual(part(player, 'captions'), null, 'captions menu');
    expectEqual(part(player, 'chapters'), null, 'chapter menu');
  });
});

describe('<lectern-player> playback token refresh', () => {
  afterEach(removeMounted);

  it('keeps playing past the token it started with', async function () {
    this.timeout(30000);
    const player = await mountPlayer({ video: videos.rotatingToken });
    await until(() => player.state === 'ready', 'the playback answer');
    const ended = nextEvent(player, 'lectern-ended');
    const failed = nextEvent<{ code: string }>(player, 'lectern-error').then((event) => {
      throw new Error(`playback failed: ${event.detail.code}`);
    });
    await player.play();

    // The first token is refused once the second is handed out, about 5 s in; segments
    // arrive one per 1.5 s, so the later ones can only come with the second token.
    await until(
      () => fetched('rotating-token/playback').length >= 2,
      'a second playback answer',
      10000,
    );
    const tokens = () =>
      new Set(fetched('.ts').map((url) => new URL(url).pathname.split('/').at(-2)));
    await Promise.race([
      until(() => tokens().size >= 2, 'segments under the new token', 10000),
      failed,
    ]);
    await Promise.race([ended, failed]);
    expectEqual(player.state, 'active', 'the player state');
    expectEqual(player.error, undefined, 'no error');
  });
});
