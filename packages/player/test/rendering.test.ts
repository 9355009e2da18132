/// <reference types="mocha" />
import { expectAccessible } from '@lectern/test-support/axe';
import { expectEqual } from '@lectern/test-support/dom';
import {
  decodedFrame,
  label,
  mountPlayer,
  part,
  removeMounted,
  until,
  must,
  videoOf,
} from './support/helpers.js';

describe('<lectern-player> rendering', () => {
  afterEach(removeMounted);

  it('labels its controls in English', async () => {
    const player = await mountPlayer();
    await until(() => player.state === 'ready', 'the playback answer');

    expectEqual(part(player, 'player')?.getAttribute('aria-label'), 'Video player', 'group');
    expectEqual(label(player, 'big-play-button'), 'Play video', 'big play');
    expectEqual(label(player, 'play-button'), 'Play', 'play');
    expectEqual(label(player, 'mute-button'), 'Unmute', 'mute (starts muted)');
    expectEqual(label(player, 'fullscreen-button'), 'Full screen', 'full screen');
    expectEqual(label(player, 'seek'), 'Position in the video', 'slider');
    expectEqual(label(player, 'rate'), 'Playback speed', 'speed menu');
    expectEqual(part(player, 'status')?.getAttribute('role'), 'status', 'live region');
  });

  it('speaks German with lang="de" and follows a change of language', async () => {
    const player = await mountPlayer({ lang: 'de' });
    await until(() => player.state === 'ready', 'the playback answer');

    expectEqual(part(player, 'player')?.getAttribute('aria-label'), 'Videoplayer', 'group');
    expectEqual(label(player, 'big-play-button'), 'Video abspielen', 'big play');
    expectEqual(label(player, 'play-button'), 'Abspielen', 'play');
    expectEqual(label(player, 'mute-button'), 'Ton an', 'mute');
    expectEqual(label(player, 'fullscreen-button'), 'Vollbild', 'full screen');
    expectEqual(label(player, 'rate'), 'Wiedergabegeschwindigkeit', 'speed menu');
    const options = [...must<HTMLSelectElement>(player, 'rate').options].map((o) => o.text.trim());
    expectEqual(options.slice(0, 3), ['0,5×', '0,75×', 'Normal'], 'speeds in German numbers');

    player.parentElement?.setAttribute('lang', 'en');
    await until(() => label(player, 'play-button') === 'Play', 'English');
  });

  it('changes the playback speed from its menu', async () => {
    const player = await mountPlayer();
    await until(() => player.state === 'ready', 'the playback answer');
    const menu = must<HTMLSelectElement>(player, 'rate');
    menu.value = '1.5';
    menu.dispatchEvent(new Event('change'));
    expectEqual(videoOf(player).playbackRate, 1.5, 'rate');
  });

  it('has no serious accessibility violations with the poster, playing, or failed', async () => {
    const player = await mountPlayer();
    await until(() => player.state === 'ready', 'the playback answer');
    await expectAccessible(player, 'with the poster');

    await player.play();
    await decodedFrame(videoOf(player));
    await expectAccessible(player, 'while playing');

    const withMenus = await mountPlayer({ video: 'with-tracks', lang: 'de' });
    await until(() => part(withMenus, 'chapters') !== null, 'the chapter menu');
    await expectAccessible(withMenus, 'with caption and chapter menus');

    const failed = await mountPlayer({ video: 'no-access', lang: 'de' });
    await until(() => failed.state === 'error', 'the refusal');
    await expectAccessible(failed, 'after a refusal');
  });
});
