/// <reference types="mocha" />
import '@lectern/player';
import type { LecternPlayer } from '@lectern/player';
import { LecternApiError } from '@lectern/sdk';
import { sendKeys } from '@web/test-runner-commands';
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
import type { LecternQuizEditor, QuizSavedDetail } from '../src/index.js';
import { editorMessages } from '../src/quiz-editor/messages.js';

function mountEditor(person: Person, target: string, lang = 'en'): LecternQuizEditor {
  return mount<LecternQuizEditor>(
    `<lectern-quiz-editor lang="${lang}" base-url="${person.baseUrl}" token="${person.token}" ${target}></lectern-quiz-editor>`,
  );
}

/** Types into a field as a person does: focus, select what is there, type over it. */
async function typeInto(field: HTMLElement | null | undefined, text: string): Promise<void> {
  if (!field) throw new Error('No field to type into.');
  field.focus();
  (field as HTMLInputElement).select?.();
  await sendKeys({ type: text });
}

function within(question: HTMLElement, name: string): HTMLElement {
  const found = question.querySelector<HTMLElement>(`[part="${name}"]`);
  if (!found) throw new Error(`No ${name} in the question.`);
  return found;
}

async function pickType(question: HTMLElement, type: string): Promise<void> {
  const select = within(question, 'question-type') as HTMLSelectElement;
  select.value = type;
  select.dispatchEvent(new Event('change'));
}

async function addQuestion(editor: LecternQuizEditor): Promise<HTMLElement> {
  const before = parts(editor, 'question').length;
  (part(editor, 'add-question-button') as HTMLButtonElement).click();
  return until(() => parts(editor, 'question')[before], 'the new question');
}

const problemsOf = (editor: LecternQuizEditor) =>
  [...(part(editor, 'problems')?.querySelectorAll('li') ?? [])].map((item) => textOf(item));

describe('<lectern-quiz-editor>', function () {
  this.timeout(30_000);
  afterEach(() => {
    unmountAll();
    for (const player of document.querySelectorAll('lectern-player'))
      player.parentElement?.remove();
  });

  it('lets an author place questions on a video, save the quiz, and find it again after a reload', async () => {
    const tenant = newTenant('studio');
    const { videoId } = await addVideo({ tenant, title: 'Forklift basics', state: 'published' });
    const author = await signIn(['author'], { tenant, subject: 'author' });

    const editor = mountEditor(author, `video="${videoId}"`);
    const title = await until(() => part(editor, 'title-input') as HTMLInputElement, 'the form');
    expectEqual(title.value, 'Forklift basics', 'the video’s title to start from');
    await typeInto(title, 'Forklift check');

    const first = await addQuestion(editor);
    expectEqual(editor.shadowRoot?.activeElement, within(first, 'question-type'), 'focus on it');
    await typeInto(within(first, 'prompt'), 'Who may drive a forklift?');
    const [anyone, licensed] = [...first.querySelectorAll<HTMLElement>('[part="option-text"]')];
    await typeInto(anyone, 'Anyone');
    await typeInto(licensed, 'Licensed drivers');
    first.querySelectorAll<HTMLInputElement>('[part="option"] input[type="radio"]')[1]?.click();
    await typeInto(within(first, 'at-seconds'), '5');

    const second = await addQuestion(editor);
    await pickType(second, 'true_false');
    await typeInto(within(second, 'prompt'), 'Forks go up while driving.');
    await until(() => second.querySelectorAll('[part="option"]').length === 2, 'true and false');
    [...second.querySelectorAll<HTMLLabelElement>('[part="option"]')][1]
      ?.querySelector('input')
      ?.click();
    await typeInto(within(second, 'at-seconds'), '8.5');
    await expectAccessible(editor);

    const saved = nextEvent<CustomEvent<QuizSavedDetail>>(editor, 'lectern-quiz-saved');
    (part(editor, 'save-button') as HTMLButtonElement).click();
    const { detail } = await saved;
    expectEqual(detail.created, true, 'created');
    await until(() => textOf(part(editor, 'status')) === 'The quiz was created.', 'the notice');
    expectEqual(
      parts(editor, 'marker').map((marker) => marker.getAttribute('aria-label')),
      ['Question 1 at 0:05', 'Question 2 at 0:08'],
      'markers on the timeline',
    );

    const definition = await author.client.getQuizDefinition(detail.quizId);
    expectEqual(definition.videoId, videoId, 'on the video');
    expectEqual(
      definition.questions.map((question) => [
        question.prompt,
        question.atSeconds,
        question.answer,
      ]),
      [
        ['Who may drive a forklift?', 5, { choice: 'o2' }],
        ['Forks go up while driving.', 8.5, { value: false }],
      ],
      'questions stored',
    );

    unmountAll();
    const again = mountEditor(author, `video="${videoId}"`);
    await until(() => parts(again, 'question').length === 2, 'the saved questions');
    expectEqual((part(again, 'title-input') as HTMLInputElement).value, 'Forklift check', 'title');
    expectEqual(
      textOf(part(again, 'status')),
      'This video has a quiz already; it is open for editing.',
      'notice',
    );
    expectEqual(
      parts(again, 'prompt').map((prompt) => (prompt as HTMLTextAreaElement).value),
      ['Who may drive a forklift?', 'Forks go up while driving.'],
      'prompts',
    );

    // Saving again replaces the quiz: no second one is made.
    await typeInto(part(again, 'title-input'), 'Forklift check, 2nd edition');
    const replaced = nextEvent<CustomEvent<QuizSavedDetail>>(again, 'lectern-quiz-saved');
    (part(again, 'save-button') as HTMLButtonElement).click();
    expectEqual((await replaced).detail, { quizId: detail.quizId, created: false }, 'replaced');
    expectEqual((await author.client.listQuizzes(videoId)).quizzes.length, 1, 'one quiz');
  });

  it('shows what the server found wrong, question by question', async () => {
    const tenant = newTenant('studio');
    const author = await signIn(['author'], { tenant });
    const editor = mountEditor(author, '');
    await typeInto(await until(() => part(editor, 'title-input'), 'the form'), 'Ladders');
    const question = await addQuestion(editor);
    await typeInto(within(question, 'prompt'), 'Which ladder?');
    (part(editor, 'save-button') as HTMLButtonElement).click();

    const error = await until(() => part(editor, 'error'), 'the refusal');
    expectEqual(error.getAttribute('role'), 'alert', 'an alert');
    const problems = problemsOf(editor);
    expectEqual(problems.length > 0, true, 'problems listed');
    expectEqual(
      problems.every((problem) => problem.startsWith('Question 1, options:')),
      true,
      `the empty options named: ${problems.join(' | ')}`,
    );
    expectEqual(editor.shadowRoot?.activeElement, error, 'focus on the refusal');
    await expectAccessible(editor);
  });

  it('says in words that questions are locked once a learner has started', async () => {
    const tenant = newTenant('studio');
    const author = await signIn(['author'], { tenant });
    const { id } = await author.client.createQuiz({
      title: 'Gloves',
      questions: [{ type: 'true_false', prompt: 'Gloves are optional.', answer: { value: false } }],
    });
    await (await signIn(['viewer'], { tenant })).client.startAttempt(id);
    const refusal = await author.client
      .replaceQuiz(id, {
        title: 'Gloves',
        questions: [{ type: 'true_false', prompt: 'Changed', answer: { value: true } }],
      })
      .catch((error: unknown) => error);

    const editor = mountEditor(author, `quiz="${id}"`, 'de');
    const question = await until(() => parts(editor, 'question')[0], 'the question');
    expectEqual(
      textOf(part(editor, 'locked-note')).startsWith('Das Quiz wurde schon begonnen (1 Versuche)'),
      true,
      'the note, in German',
    );
    await typeInto(within(question, 'prompt'), 'Gloves are required.');
    (part(editor, 'save-button') as HTMLButtonElement).click();

    await until(() => part(editor, 'error'), 'the refusal');
    expectEqual(refusal instanceof LecternApiError && refusal.code, 'quiz.locked', 'server code');
    expectEqual(
      textOf(part(editor, 'error')),
      editorMessages.de['error.quiz.locked'],
      'the German sentence',
    );
    await expectAccessible(editor);
  });

  it('takes the timeline’s length and the current time from a bound player', async () => {
    const tenant = newTenant('studio');
    const { videoId } = await addVideo({ tenant, title: 'Test card', state: 'published' });
    const author = await signIn(['author'], { tenant, subject: 'author' });
    const container = document.createElement('div');
    container.innerHTML = `
      <lectern-player id="preview" base-url="${location.origin}/__lectern/playback-fixture" video="fixture-video" token="stand-in" muted></lectern-player>
      <lectern-quiz-editor for="preview" lang="en" base-url="${author.baseUrl}" token="${author.token}" video="${videoId}"></lectern-quiz-editor>`;
    document.body.append(container);
    const player = container.querySelector('lectern-player') as LecternPlayer;
    const editor = container.querySelector('lectern-quiz-editor') as LecternQuizEditor;

    await until(() => player.state === 'ready', 'the player');
    await player.play();
    await until(() => player.currentTime > 1.2, 'a second of playback', 8000);
    player.pause();
    await until(
      () => textOf(part(editor, 'timeline')).includes('0:12'),
      'the length from the player',
    );

    const question = await addQuestion(editor);
    (within(question, 'set-now-button') as HTMLButtonElement).click();
    const expected = String(Math.round(player.currentTime * 10) / 10);
    await until(
      () => (within(question, 'at-seconds') as HTMLInputElement).value === expected,
      `the time set to ${expected}`,
    );
    await until(() => part(editor, 'playhead'), 'the playhead');
    await expectAccessible(editor);
  });
});

describe('quiz editor messages', () => {
  it('has the same keys in English and German', () => {
    expectEqual(
      Object.keys(editorMessages.de).toSorted(),
      Object.keys(editorMessages.en).toSorted(),
      'keys',
    );
  });
});
