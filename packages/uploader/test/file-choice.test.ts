/// <reference types="mocha" />
import { expectEqual } from '@lectern/test-support/dom';
import '../src/index.js';
import { FakeTusServer } from './support/fake-tus-server.js';
import {
  forgetRememberedUploads,
  mountUploader,
  part,
  plain,
  recordEvents,
  removeMounted,
  statusText,
  until,
  videoFile,
  warningsDuring,
} from './support/helpers.js';

function dropEvent(type: string, file?: File): DragEvent {
  const dataTransfer = new DataTransfer();
  if (file) dataTransfer.items.add(file);
  return new DragEvent(type, { dataTransfer, bubbles: true, cancelable: true, composed: true });
}

describe('<lectern-uploader> choosing a file', () => {
  let server: FakeTusServer;
  beforeEach(() => {
    server = new FakeTusServer().install();
  });
  afterEach(() => {
    removeMounted();
    server.uninstall();
    forgetRememberedUploads();
  });

  it('uploads a file dropped on the drop zone', async () => {
    const uploader = await mountUploader();
    const events = recordEvents(uploader, 'lectern-upload-start');
    const dropzone = part(uploader, 'dropzone');

    const over = dropEvent('dragover');
    dropzone?.dispatchEvent(over);
    await uploader.updateComplete;
    expectEqual(over.defaultPrevented, true, 'dragover accepted, so that a drop may follow');
    expectEqual(dropzone?.classList.contains('over'), true, 'highlighted while dragged over');

    dropzone?.dispatchEvent(
      dropEvent('drop', videoFile('Safety briefing.mov', 5000, 'video/quicktime')),
    );
    await until(() => events.length === 1, 'lectern-upload-start');
    expectEqual(
      events[0]?.detail,
      { name: 'Safety briefing.mov', size: 5000, resumed: false },
      'start',
    );
    expectEqual(dropzone?.classList.contains('over'), false, 'highlight gone after the drop');
    await until(() => uploader.state === 'complete', 'completion');
  });

  it('uploads a file chosen with the picker', async () => {
    const uploader = await mountUploader();
    const input = uploader.shadowRoot?.querySelector<HTMLInputElement>('input[type=file]');
    const chosen = new DataTransfer();
    chosen.items.add(videoFile('Picked.mp4'));
    if (input) input.files = chosen.files;
    input?.dispatchEvent(new Event('change', { bubbles: true }));

    await until(() => uploader.state === 'complete', 'completion');
    expectEqual(uploader.file?.name, 'Picked.mp4', 'the file');
    expectEqual(
      input?.value,
      '',
      'the input is cleared, so that the same file can be chosen again',
    );
  });

  const refusals = [
    {
      what: 'an empty file',
      file: () => new File([], 'Leer.mp4', { type: 'video/mp4' }),
      code: 'upload.empty',
      en: '“Leer.mp4” is empty. Choose a video file.',
      de: '„Leer.mp4“ ist leer. Wählen Sie eine Videodatei.',
    },
    {
      what: 'a file over max-size',
      file: () => videoFile('Big.mp4', 2_500_000),
      code: 'upload.too_large',
      en: '“Big.mp4” is 2.5 MB; the largest file you can upload here is 2 MB.',
      de: '„Big.mp4“ ist 2,5 MB groß; hier sind höchstens 2 MB erlaubt.',
    },
    {
      what: 'a file that is not a video',
      file: () => new File(['%PDF'], 'Handout.pdf', { type: 'application/pdf' }),
      code: 'upload.not_video',
      en: '“Handout.pdf” is not a type of file accepted here (video/*).',
      de: '„Handout.pdf“ ist keine Datei der hier erlaubten Art (video/*).',
    },
  ];
  for (const refusal of refusals) {
    for (const lang of ['en', 'de'] as const) {
      it(`refuses ${refusal.what} in ${lang} without sending a request`, async () => {
        const uploader = await mountUploader({ lang, attributes: { 'max-size': '2000000' } });
        const events = recordEvents(uploader, 'lectern-upload-error', 'lectern-upload-start');

        const warnings = await warningsDuring(() => uploader.selectFile(refusal.file()));
        await uploader.updateComplete;

        expectEqual(server.requests.length, 0, 'requests sent');
        expectEqual(uploader.state, 'error', 'state');
        expectEqual(statusText(uploader), refusal[lang], 'the sentence shown');
        expectEqual(uploader.error, { code: refusal.code, message: refusal[lang] }, 'error');
        expectEqual(events, [{ type: 'lectern-upload-error', detail: uploader.error }], 'events');
        expectEqual(
          warnings,
          [`lectern: lectern-uploader: ${refusal.code} (refused in the browser)`],
          'log',
        );
        expectEqual(part(uploader, 'progress'), null, 'no progress bar');
        expectEqual(part(uploader, 'resume-button'), null, 'nothing to try again');
      });
    }
  }

  it('passes a file whose type the browser does not know; the server decides', async () => {
    const uploader = await mountUploader();
    await uploader.selectFile(new File(['x'.repeat(100)], 'lecture.mkv', { type: '' }));
    await until(() => uploader.state === 'complete', 'completion');
    const upload = [...server.uploads.values()][0];
    expectEqual(upload?.metadata.filetype, 'application/octet-stream', 'filetype sent');
  });

  it('says so when base-url or token is missing, without sending a request', async () => {
    const uploader = await mountUploader({ configured: false });
    await warningsDuring(() => uploader.selectFile(videoFile()));
    await uploader.updateComplete;
    expectEqual(uploader.error?.code, 'uploader.not_configured', 'code');
    expectEqual(server.requests.length, 0, 'requests sent');
    expectEqual(
      plain(statusText(uploader)),
      'The uploader is not set up (base-url or token is missing). Tell whoever runs this page.',
      'sentence',
    );
  });
});
