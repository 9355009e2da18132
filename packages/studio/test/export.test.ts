/// <reference types="mocha" />
import { expectAccessible } from '@lectern/test-support/axe';
import {
  expectEqual,
  mount,
  nextEvent,
  part,
  textOf,
  unmountAll,
  until,
} from '@lectern/test-support/dom';
import { newTenant, signIn, type Person } from '@lectern/test-support/lectern';
import '../src/index.js';
import type { ExportDownloadedDetail, LecternExport } from '../src/index.js';
import { exportMessages } from '../src/export/messages.js';

function mountExport(person: Person, lang = 'en'): LecternExport {
  return mount<LecternExport>(
    `<lectern-export lang="${lang}" base-url="${person.baseUrl}" token="${person.token}"></lectern-export>`,
  );
}

const placeholders = (message: string) =>
  [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).toSorted();

describe('<lectern-export>', function () {
  this.timeout(60_000);
  afterEach(unmountAll);

  it('tells a viewer that only admins can export, and offers no button', async () => {
    const viewer = await signIn(['viewer'], { tenant: newTenant('studio') });
    const element = mountExport(viewer);

    const error = await until(() => part(element, 'error'), 'the refusal');
    expectEqual(textOf(error), 'Only the tenant’s admins can export its data.', 'message');
    expectEqual(error.getAttribute('role'), 'alert', 'role');
    expectEqual(part(element, 'request-button'), undefined, 'no request button');
    expectEqual(part(element, 'retry-button'), undefined, 'no retry for a refusal');
    await expectAccessible(element);
  });

  it('says the same refusal in German under lang="de"', async () => {
    const author = await signIn(['author'], { tenant: newTenant('studio') });
    const element = mountExport(author, 'de');

    const error = await until(() => part(element, 'error'), 'the refusal');
    expectEqual(
      textOf(error),
      'Nur die Administratorinnen und Administratoren des Mandanten können seine Daten exportieren.',
      'message',
    );
  });

  it('shows an admin the requested export waiting, with a progress bar and no download yet, and again after a reload', async () => {
    const admin = await signIn(['admin'], { tenant: newTenant('studio') });
    // The token as a function, asked before each request, as a page refreshing its session does.
    const element = mount<LecternExport>(
      `<lectern-export lang="de" base-url="${admin.baseUrl}"></lectern-export>`,
    );
    element.token = () => admin.token;

    const request = await until(() => part(element, 'request-button'), 'the request button');
    expectEqual(textOf(request), 'Export anfordern', 'button');
    await expectAccessible(element);
    request.click();

    await until(() => element.currentExport, 'the requested export');
    await element.updateComplete;
    const state = element.currentExport?.state;
    if (state === 'queued') {
      expectEqual(
        textOf(part(element, 'status')),
        'Der Export ist angefordert und wartet, bis er an der Reihe ist.',
        'status',
      );
      expectEqual(part(element, 'progress')?.localName, 'progress', 'a progress bar');
      expectEqual(part(element, 'request-button'), undefined, 'no second request meanwhile');
      expectEqual(part(element, 'download-button'), undefined, 'no download yet');
      await expectAccessible(element);
    } else if (state !== 'building' && state !== 'ready') {
      throw new Error(`the requested export is ${state}`);
    }

    const requested = element.currentExport?.id;
    await element.reload();
    expectEqual(element.currentExport?.id, requested, 'the same export after a reload');
    expectEqual((await admin.client.listExports()).exports.length, 1, 'one export on the server');
  });

  it('lets an admin request an export, follow it until it is ready, and download a zip archive', async () => {
    const admin = await signIn(['admin'], { tenant: newTenant('studio') });
    const element = mountExport(admin);
    const ready = nextEvent(element, 'lectern-export-ready', 45_000);
    (await until(() => part(element, 'request-button'), 'the request button')).click();

    await ready;
    const download = await until(() => part(element, 'download-button'), 'the download button');
    const found = element.currentExport;
    expectEqual(found?.state, 'ready', 'state');
    const status = textOf(part(element, 'status'));
    if (!/^The export of .+ is ready: .+B, \d+ files\.$/.test(status)) {
      throw new Error(`status: ${status}`);
    }
    if (!/^It can be downloaded until .+\.$/.test(textOf(part(element, 'details')))) {
      throw new Error(`details: ${textOf(part(element, 'details'))}`);
    }
    if (!/^Download \(.+B\)$/.test(textOf(download))) throw new Error(textOf(download));
    await expectAccessible(element);

    // The page takes the file instead of the browser saving it.
    const downloaded = nextEvent<CustomEvent<ExportDownloadedDetail>>(
      element,
      'lectern-export-downloaded',
      30_000,
    );
    element.addEventListener('lectern-export-downloaded', (event) => event.preventDefault(), {
      once: true,
    });
    download.click();
    const { file, exportId } = (await downloaded).detail;
    expectEqual(exportId, found?.id, 'export id');
    expectEqual(file.size, found?.size, 'the whole archive');
    const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
    expectEqual([...head], [0x50, 0x4b, 0x03, 0x04], 'a zip archive (PK)');
    if (!/^lectern-export-\d{4}-\d{2}-\d{2}\.zip$/.test(file.name)) throw new Error(file.name);

    const link = (await until(
      () => part(element, 'save-link'),
      'the save link',
    )) as HTMLAnchorElement;
    expectEqual(link.download, file.name, 'file name of the save link');
    const saved = new Uint8Array(await (await fetch(link.href)).arrayBuffer());
    expectEqual(saved.length, file.size, 'the save link holds the archive');
    expectEqual(
      textOf(part(element, 'status')),
      `The archive is downloaded: ${file.name}.`,
      'status after the download',
    );
    await expectAccessible(element);
  });

  it('has the same keys and placeholders in English and German', () => {
    const { en, de } = exportMessages;
    expectEqual(Object.keys(de).toSorted(), Object.keys(en).toSorted(), 'keys');
    for (const [key, english] of Object.entries(en)) {
      const german = de[key as keyof typeof de];
      expectEqual(placeholders(german), placeholders(english), `placeholders of ${key}`);
    }
  });
});
