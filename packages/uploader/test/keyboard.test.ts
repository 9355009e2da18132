/// <reference types="mocha" />
import { expectEqual } from '@lectern/test-support/dom';
import '../src/index.js';
import { sendKeys } from '@web/test-runner-commands';
import type { LecternUploader } from '../src/index.js';
import { FakeTusServer } from './support/fake-tus-server.js';
import {
  forgetRememberedUploads,
  mountUploader,
  part,
  removeMounted,
  until,
  videoFile,
} from './support/helpers.js';

/** Counts attempts to open the file chooser, without opening it. */
function watchPicker(uploader: LecternUploader): { opened: number } {
  const watch = { opened: 0 };
  const input = uploader.shadowRoot?.querySelector('input[type=file]');
  input?.addEventListener('click', (event) => {
    event.preventDefault();
    watch.opened += 1;
  });
  return watch;
}

function focusedPart(uploader: LecternUploader): string | null {
  return uploader.shadowRoot?.activeElement?.getAttribute('part') ?? null;
}

describe('<lectern-uploader> by keyboard', () => {
  let server: FakeTusServer;
  beforeEach(() => {
    server = new FakeTusServer().install();
  });
  afterEach(() => {
    removeMounted();
    server.uninstall();
    forgetRememberedUploads();
  });

  it('reaches the drop zone and the button with Tab, and opens the picker from both', async () => {
    const uploader = await mountUploader();
    const picker = watchPicker(uploader);
    const before = document.createElement('button');
    before.textContent = 'before';
    uploader.before(before);
    before.focus();

    await sendKeys({ press: 'Tab' });
    expectEqual(focusedPart(uploader), 'dropzone', 'focus after one Tab');
    await sendKeys({ press: 'Enter' });
    expectEqual(picker.opened, 1, 'Enter on the drop zone opens the picker');
    await sendKeys({ press: 'Space' });
    expectEqual(picker.opened, 2, 'Space on the drop zone opens the picker');

    await sendKeys({ press: 'Tab' });
    expectEqual(focusedPart(uploader), 'button', 'focus after two Tabs');
    await sendKeys({ press: 'Enter' });
    expectEqual(picker.opened, 3, 'Enter on the button opens the picker');
    await sendKeys({ press: 'Space' });
    expectEqual(picker.opened, 4, 'Space on the button opens the picker');
  });

  it('pauses, resumes and cancels by keyboard, keeping the focus on the next control', async () => {
    server.holdPatches = true;
    const uploader = await mountUploader();
    part(uploader, 'button')?.focus();
    await uploader.selectFile(videoFile());
    await uploader.updateComplete;
    expectEqual(focusedPart(uploader), 'pause-button', 'focus once the upload runs');

    await sendKeys({ press: 'Enter' });
    await uploader.updateComplete;
    expectEqual(uploader.state, 'paused', 'state after Enter on Pause');
    expectEqual(focusedPart(uploader), 'resume-button', 'focus after pausing');

    await sendKeys({ press: 'Space' });
    await uploader.updateComplete;
    expectEqual(uploader.state, 'uploading', 'state after Space on Resume');
    expectEqual(focusedPart(uploader), 'pause-button', 'focus after resuming');

    await sendKeys({ press: 'Tab' });
    expectEqual(focusedPart(uploader), 'cancel-button', 'Tab reaches Cancel');
    await sendKeys({ press: 'Enter' });
    await uploader.updateComplete;
    expectEqual(uploader.state, 'idle', 'state after Enter on Cancel');
    expectEqual(focusedPart(uploader), 'button', 'focus returns to the picker');
    await until(() => server.requestsOf('DELETE').length === 1, 'the DELETE');
  });

  it('takes the drop zone out of the tab order while an upload runs', async () => {
    server.holdPatches = true;
    const uploader = await mountUploader();
    await uploader.selectFile(videoFile());
    await uploader.updateComplete;

    expectEqual(part(uploader, 'dropzone')?.getAttribute('tabindex'), '-1', 'drop zone tabindex');
    expectEqual(part(uploader, 'dropzone')?.getAttribute('aria-disabled'), 'true', 'aria-disabled');
    expectEqual(part<HTMLButtonElement>(uploader, 'button')?.disabled, true, 'picker disabled');
  });
});
