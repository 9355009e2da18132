/// <reference types="mocha" />
import { sendKeys } from '@web/test-runner-commands';
import type { VideoState } from '@lectern/sdk';
import { expectAccessible } from '@lectern/test-support/axe';
import {
  expectEqual,
  mount,
  nextEvent,
  part,
  parts,
  textOf,
  unmountAll,
  until,
} from '@lectern/test-support/dom';
import { addVideo, newTenant, signIn, type Person } from '@lectern/test-support/lectern';
import '../src/index.js';
import type { LecternLibrary } from '../src/index.js';

function mountLibrary(person: Person, attributes = '', around?: string): LecternLibrary {
  const library = `<lectern-library base-url="${person.baseUrl}" token="${person.token}" ${attributes}></lectern-library>`;
  const root = mount<HTMLElement>(around ? around.replace('<slot>', library) : library);
  return (
    root.localName === 'lectern-library' ? root : root.querySelector('lectern-library')
  ) as LecternLibrary;
}

const titles = (library: LecternLibrary) => parts(library, 'title').map(textOf);

describe('<lectern-library>', function () {
  this.timeout(20_000);
  afterEach(unmountAll);

  it('shows a viewer the published videos and not those still in review', async () => {
    const tenant = newTenant('studio');
    await addVideo({ tenant, title: 'Fire safety', state: 'published' });
    await addVideo({ tenant, title: 'Draft: ladders', state: 'in_review' });
    const viewer = await signIn(['viewer'], { tenant });

    const library = mountLibrary(viewer);
    await until(() => parts(library, 'item').length > 0, 'the first page');

    expectEqual(titles(library), ['Fire safety'], 'titles a viewer sees');
    expectEqual(parts(library, 'state').map(textOf), ['Published'], 'state badge');
    expectEqual(textOf(part(library, 'dates')).startsWith('Added '), true, 'dates shown');
    await expectAccessible(library);
  });

  it('shows an admin every state, with German state names under lang="de"', async () => {
    const tenant = newTenant('studio');
    const states: VideoState[] = [
      'uploading',
      'processing',
      'in_review',
      'published',
      'rejected',
      'failed',
    ];
    for (const state of states) await addVideo({ tenant, title: `Video ${state}`, state });
    const admin = await signIn(['admin'], { tenant });

    const library = mountLibrary(admin, '', '<div lang="de"><slot></div>');
    await until(() => parts(library, 'item').length === states.length, 'every video');

    const badges = parts(library, 'state').map(textOf).toSorted();
    const german = [
      'Abgelehnt',
      'Fehlgeschlagen',
      'In Prüfung',
      'Veröffentlicht',
      'Wird hochgeladen',
      'Wird verarbeitet',
    ];
    expectEqual(badges, german, 'German state names');
    expectEqual(textOf(part(library, 'dates')).startsWith('Hinzugefügt am '), true, 'German dates');
    await expectAccessible(library);

    // A page that switches its language switches the element's along with it.
    library.parentElement?.setAttribute('lang', 'en-GB');
    await until(
      () => parts(library, 'state').some((badge) => textOf(badge) === 'In review'),
      'English names',
    );
  });

  it('fires lectern-video-select when a video is activated with Enter or Space', async () => {
    const tenant = newTenant('studio');
    const { videoId } = await addVideo({ tenant, title: 'Keyboard', state: 'published' });
    const viewer = await signIn(['viewer'], { tenant });
    const library = mountLibrary(viewer);
    const item = await until(() => part(library, 'item'), 'the video');

    item.focus();
    const byEnter = nextEvent<CustomEvent<{ videoId: string }>>(library, 'lectern-video-select');
    await sendKeys({ press: 'Enter' });
    expectEqual((await byEnter).detail, { videoId }, 'detail after Enter');

    const bySpace = nextEvent<CustomEvent<{ videoId: string }>>(document, 'lectern-video-select');
    await sendKeys({ press: 'Space' });
    expectEqual((await bySpace).detail, { videoId }, 'detail after Space, seen by the document');
  });

  it('loads more pages with "Load more" until every video is shown, newest first', async () => {
    const tenant = newTenant('studio');
    // Distinct creation times: the server pages by them.
    for (let minute = 1; minute <= 5; minute++) {
      const createdAt = `2025-06-01T10:0${minute}:00.000Z`;
      await addVideo({ tenant, title: `Part ${minute}`, state: 'published', createdAt });
    }
    const viewer = await signIn(['viewer'], { tenant });
    const library = mountLibrary(viewer, 'limit="2"');
    await until(() => parts(library, 'item').length === 2, 'the first page');
    expectEqual(titles(library), ['Part 5', 'Part 4'], 'first page');

    part(library, 'load-more-button')?.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => parts(library, 'item').length === 4, 'the second page');
    // The first new video takes the focus, so a keyboard user goes on where the list grew.
    expectEqual(library.shadowRoot?.activeElement?.textContent?.includes('Part 3'), true, 'focus');

    part(library, 'load-more-button')?.click();
    await until(() => parts(library, 'item').length === 5, 'the last page');
    expectEqual(titles(library), ['Part 5', 'Part 4', 'Part 3', 'Part 2', 'Part 1'], 'all');
    expectEqual(part(library, 'load-more-button'), undefined, 'no button after the last page');
  });

  it('says so when there are no videos, and shows only the state asked for', async () => {
    const tenant = newTenant('studio');
    await addVideo({ tenant, title: 'Out there', state: 'published' });
    const admin = await signIn(['admin'], { tenant });

    const library = mountLibrary(admin, 'state="rejected"');
    const empty = await until(() => part(library, 'empty'), 'the empty state');
    expectEqual(textOf(empty), 'No videos to show.', 'empty text');

    library.state = 'published';
    await until(() => parts(library, 'item').length === 1, 'the published video');
    expectEqual(titles(library), ['Out there'], 'filtered titles');
  });

  it("shows the server's message and logs its code when the session is refused", async () => {
    const viewer = await signIn(['viewer'], { tenant: newTenant('studio') });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...parts: unknown[]) => void warnings.push(parts.join(' '));
    try {
      const library = mountLibrary({ ...viewer, token: 'not-a-session' });
      const error = await until(() => part(library, 'error'), 'the error');

      expectEqual(textOf(error).includes('The session token is not valid'), true, textOf(error));
      expectEqual(error.getAttribute('role'), 'alert', 'announced at once');
      expectEqual(
        warnings.some((line) => /^lectern: lectern-library: auth\.invalid/.test(line)),
        true,
        warnings.join('\n'),
      );
      await expectAccessible(library);

      // The server writes English; a German page gets the catalog's sentence for the code.
      library.setAttribute('lang', 'de');
      await until(
        () => textOf(part(library, 'error')).startsWith('Das Sitzungstoken ist ungültig'),
        'German',
      );

      library.token = viewer.token;
      await until(() => part(library, 'empty'), 'the empty library with a good token');
      expectEqual(part(library, 'error'), undefined, 'error gone');
    } finally {
      console.warn = warn;
    }
  });
});
