/// <reference types="mocha" />
import { sendKeys } from '@web/test-runner-commands';
import { expectEqual } from '@lectern/test-support/dom';
import type { LecternPlayer } from '../src/index.js';
import {
  decodedFrame,
  label,
  mountPlayer,
  removeMounted,
  until,
  must,
  videoOf,
} from './support/helpers.js';

/** A player that has played and is now paused at `seconds`, with focus on its play button. */
async function pausedAt(seconds: number): Promise<LecternPlayer> {
  const player = await mountPlayer();
  await until(() => player.state === 'ready', 'the playback answer');
  await player.play();
  await decodedFrame(videoOf(player));
  player.pause();
  player.currentTime = seconds;
  await until(() => player.currentTime === seconds, `the seek to ${seconds} s`);
  must(player, 'play-button').focus();
  return player;
}

describe('<lectern-player> by keyboard', () => {
  afterEach(removeMounted);

  it('plays and pauses with k, and with Space outside a button', async () => {
    const player = await pausedAt(2);

    await sendKeys({ press: 'k' });
    await until(() => !videoOf(player).paused, 'playing after k');
    await sendKeys({ press: 'k' });
    await until(() => videoOf(player).paused, 'paused after k');

    // Space on the focused play button presses that button, once.
    await sendKeys({ press: 'Space' });
    await until(() => !videoOf(player).paused, 'playing after Space');
    await player.updateComplete;
    expectEqual(label(player, 'play-button'), 'Pause', 'the play button now pauses');
  });

  it('jumps 10 s with j and l and 5 s with the arrow keys', async () => {
    const player = await pausedAt(6);
    const near = (seconds: number) => () => Math.abs(player.currentTime - seconds) < 0.1;

    await sendKeys({ press: 'ArrowRight' });
    await until(near(11), 'after →, 11 s');
    await sendKeys({ press: 'ArrowLeft' });
    await until(near(6), 'after ←, 6 s');
    await sendKeys({ press: 'j' });
    await until(near(0), 'after j, the start (not −4 s)');
    await sendKeys({ press: 'l' });
    await until(near(10), 'after l, 10 s');
  });

  it('mutes and unmutes with m', async () => {
    const player = await pausedAt(2);
    expectEqual(videoOf(player).muted, true, 'starts muted');

    await sendKeys({ press: 'm' });
    await player.updateComplete;
    expectEqual(videoOf(player).muted, false, 'unmuted');
    expectEqual(player.muted, false, 'the property follows');
    expectEqual(label(player, 'mute-button'), 'Mute', 'the button offers to mute');
  });

  it('goes full screen with f and back', async () => {
    const player = await pausedAt(2);

    await sendKeys({ press: 'f' });
    await until(() => document.fullscreenElement === player, 'full screen');
    // The label follows the fullscreenchange event, which comes a moment after.
    await until(() => label(player, 'fullscreen-button') === 'Exit full screen', 'button label');
    await sendKeys({ press: 'f' });
    await until(() => document.fullscreenElement === null, 'back from full screen');
  });

  it('leaves the arrow keys to the position slider when it has focus', async () => {
    const player = await pausedAt(2);
    must(player, 'seek').focus();

    await sendKeys({ press: 'ArrowRight' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expectEqual(Math.abs(player.currentTime - 7) > 0.1, true, 'no 5-second jump');
    await sendKeys({ press: 'm' });
    await player.updateComplete;
    expectEqual(videoOf(player).muted, false, 'letters still work on the slider');
  });
});
