/// <reference types="mocha" />
import { expectEqual } from '@lectern/test-support/dom';
import '../src/index.js';
import { FakeTusServer } from './support/fake-tus-server.js';
import {
  forgetRememberedUploads,
  mountUploader,
  part,
  recordEvents,
  removeMounted,
  statusText,
  until,
  videoFile,
  warningsDuring,
} from './support/helpers.js';

const quotaMessage = 'The upload would exceed the organisation’s storage quota of 50 GB.';

describe('<lectern-uploader> errors from the server', () => {
  let server: FakeTusServer;
  beforeEach(() => {
    server = new FakeTusServer().install();
  });
  afterEach(() => {
    removeMounted();
    server.uninstall();
    forgetRememberedUploads();
  });

  async function failWith(lang: string, answer: Parameters<FakeTusServer['answerNext']>[1]) {
    server.answerNext('POST', answer);
    const uploader = await mountUploader({ lang });
    const events = recordEvents(uploader, 'lectern-upload-error');
    const warnings = await warningsDuring(async () => {
      await uploader.selectFile(videoFile());
      await until(() => uploader.state === 'error', 'the error');
      await uploader.updateComplete;
    });
    return { uploader, events, warnings };
  }

  it('shows the server’s own sentence in English and logs its code and request id', async () => {
    const { uploader, events, warnings } = await failWith('en', {
      status: 413,
      code: 'upload.quota_exceeded',
      message: quotaMessage,
    });

    expectEqual(statusText(uploader), quotaMessage, 'sentence shown');
    expectEqual(
      events[0]?.detail,
      { code: 'upload.quota_exceeded', message: quotaMessage },
      'event',
    );
    expectEqual(
      warnings,
      [
        'lectern: lectern-uploader: upload.quota_exceeded (HTTP 413, request req-upload.quota_exceeded)',
      ],
      'log',
    );
    expectEqual(server.requestsOf('POST').length, 1, 'a 413 is not tried again');
    expectEqual(part(uploader, 'resume-button'), null, 'no "Try again" for a refusal');
  });

  it('translates a code it knows into German', async () => {
    const { uploader } = await failWith('de', {
      status: 413,
      code: 'upload.quota_exceeded',
      message: quotaMessage,
    });
    expectEqual(
      statusText(uploader),
      'Das Hochladen würde den Speicherplatz Ihrer Organisation überschreiten.',
      'sentence shown',
    );
  });

  it('shows the server’s sentence for a code it does not know, in any language', async () => {
    const message = 'Uploads are closed for maintenance until 14:00.';
    const { uploader } = await failWith('de', {
      status: 403,
      code: 'tenant.uploads_closed',
      message,
    });
    expectEqual(statusText(uploader), message, 'sentence shown');
    expectEqual(uploader.error?.code, 'tenant.uploads_closed', 'code');
  });

  it('refuses for want of permission without trying again', async () => {
    const { uploader } = await failWith('en', {
      status: 403,
      code: 'permission.denied',
      message: 'You do not have the right to do this.',
    });
    expectEqual(server.requestsOf('POST').length, 1, 'requests');
    expectEqual(statusText(uploader), 'You do not have the right to do this.', 'sentence');
  });

  it('tries a server failure again and then offers to try again, in its own words', async () => {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      server.answerNext('POST', { status: 502, body: '<html>Bad gateway</html>' });
    }
    const { uploader } = await failWith('de', { status: 502, body: '<html>Bad gateway</html>' });

    expectEqual(server.requestsOf('POST').length, 4, 'one request and three more attempts');
    expectEqual(uploader.error?.code, 'response.invalid', 'code');
    expectEqual(
      statusText(uploader),
      'Der Server hat unverständlich geantwortet (HTTP 502). Versuchen Sie es später erneut.',
      'sentence',
    );
    expectEqual(part(uploader, 'resume-button')?.textContent?.trim(), 'Erneut versuchen', 'retry');
  });

  it('reports a server it cannot reach', async () => {
    for (let attempt = 0; attempt < 4; attempt += 1) server.answerNext('POST', { network: true });
    const uploader = await mountUploader();
    await warningsDuring(async () => {
      await uploader.selectFile(videoFile());
      await until(() => uploader.state === 'error', 'the error');
    });
    expectEqual(uploader.error?.code, 'network.failed', 'code');
    expectEqual(
      uploader.error?.message,
      'The server could not be reached. Check your connection and try again.',
      'sentence',
    );
  });
});
