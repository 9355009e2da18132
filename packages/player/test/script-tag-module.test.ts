/// <reference types="mocha" />
// Loads the script-tag build the way an intranet page does; this file must not import src/.
import type { LecternPlayer } from '../src/index.js';

const build = '/packages/elements/dist/lectern.js';

async function until(condition: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const fetched = (fragment: string) =>
  performance.getEntriesByType('resource').filter((entry) => entry.name.includes(fragment));

describe('the script-tag build as a module script (lectern.js)', () => {
  it('plays a video, loading the engine chunk beside it only on play', async function () {
    this.timeout(10000);
    const script = document.createElement('script');
    script.type = 'module';
    script.src = build;
    const loaded = new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = () => reject(new Error(`${build} is missing: run \`npm run build\`.`));
    });
    document.head.append(script);
    await loaded;
    await until(() => customElements.get('lectern-player') !== undefined, 'the element');

    const player = document.createElement('lectern-player') as LecternPlayer;
    player.setAttribute('base-url', `${location.origin}/__lectern/playback-fixture`);
    player.setAttribute('video', 'fixture-video');
    player.setAttribute('token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.signature');
    player.setAttribute('muted', '');
    document.body.append(player);
    await until(() => player.state === 'ready', 'the playback answer');
    if (fetched('/chunks/hls-engine.js').length > 0) throw new Error('engine loaded before play');

    await player.play();
    await until(() => player.currentTime > 0.3, 'the position to advance');
    const chunk = fetched('/chunks/hls-engine.js')[0]?.name;
    if (chunk !== new URL('/packages/elements/dist/chunks/hls-engine.js', location.href).href) {
      throw new Error(`the engine came from ${chunk}`);
    }
    player.remove();
  });

  it("loads the author's quiz editor only when its tag appears in the page", async function () {
    this.timeout(10000);
    await until(() => customElements.get('lectern-player') !== undefined, 'the build');
    if (customElements.get('lectern-quiz-editor') || fetched('/chunks/quiz-editor.js').length) {
      throw new Error('the quiz editor came with the first load');
    }
    const editor = document.createElement('lectern-quiz-editor');
    document.body.append(editor);
    await until(() => customElements.get('lectern-quiz-editor') !== undefined, 'the editor');
    if (fetched('/chunks/quiz-editor.js').length !== 1) throw new Error('no quiz-editor chunk');
    editor.remove();
  });

  it("loads the admin's export element only when its tag appears in the page", async function () {
    this.timeout(10000);
    await until(() => customElements.get('lectern-player') !== undefined, 'the build');
    if (customElements.get('lectern-export') || fetched('/chunks/export.js').length) {
      throw new Error('the export element came with the first load');
    }
    const element = document.createElement('lectern-export');
    document.body.append(element);
    await until(() => customElements.get('lectern-export') !== undefined, 'the export element');
    if (fetched('/chunks/export.js').length !== 1) throw new Error('no export chunk');
    element.remove();
  });
});
