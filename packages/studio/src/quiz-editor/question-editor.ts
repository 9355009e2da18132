import { questionTypes, type QuestionType, type Translator } from '@lectern/sdk';
import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { EditorMessageKey } from './messages.js';
import { nextOptionId, withType, type DraftQuestion } from './quiz-draft.js';

type T = Translator<EditorMessageKey>;

export interface QuestionEditorView {
  t: T;
  question: DraftQuestion;
  /** Its place in the quiz, from 0. */
  index: number;
  count: number;
  onVideo: boolean;
  /** Reads the bound player's position; absent without a player. */
  now: (() => number) | undefined;
  change(question: DraftQuestion): void;
  move(by: -1 | 1): void;
  remove(): void;
}

/** One question's fields: type, prompt, time, points, options and the correct answer. */
export function renderQuestionEditor(view: QuestionEditorView) {
  const { t, question, index } = view;
  const number = index + 1;
  const id = (field: string) => `${question.key}-${field}`;
  const set = (change: Partial<DraftQuestion>) => view.change({ ...question, ...change });
  const value = (event: Event) => (event.target as HTMLInputElement).value;

  return html`<fieldset part="question" data-key=${question.key} tabindex="-1">
    <legend part="question-legend">${t('question.legend', { number })}</legend>
    <div class="row">
      <label for=${id('type')}>${t('question.type')}</label>
      <select
        id=${id('type')}
        part="question-type"
        @change=${(event: Event) => view.change(withType(question, value(event) as QuestionType))}
      >
        ${questionTypes.map(
          (type) =>
            html`<option value=${type} ?selected=${type === question.type}>
              ${t(`type.${type}`)}
            </option>`,
        )}
      </select>
    </div>
    <label for=${id('prompt')}>${t('question.prompt')}</label>
    <textarea
      id=${id('prompt')}
      part="prompt"
      rows="2"
      maxlength="2000"
      .value=${question.prompt}
      @input=${(event: Event) => set({ prompt: value(event) })}
    ></textarea>
    <div class="row">
      <label for=${id('points')}>${t('question.points')}</label>
      <input
        id=${id('points')}
        part="points"
        type="number"
        min="0"
        max="100"
        step="1"
        .value=${String(question.points)}
        @input=${(event: Event) => set({ points: Number(value(event)) })}
      />
      ${view.onVideo ? renderTime(view, id('at'), set) : nothing}
    </div>
    ${renderAnswer(view, set)}
    <div class="actions">
      <button
        type="button"
        part="move-up-button"
        ?disabled=${index === 0}
        @click=${() => view.move(-1)}
      >
        <span aria-hidden="true">↑</span>
        <span class="visually-hidden">${t('question.moveUp', { number })}</span>
      </button>
      <button
        type="button"
        part="move-down-button"
        ?disabled=${index === view.count - 1}
        @click=${() => view.move(1)}
      >
        <span aria-hidden="true">↓</span>
        <span class="visually-hidden">${t('question.moveDown', { number })}</span>
      </button>
      <button type="button" part="remove-button" class="danger" @click=${view.remove}>
        ${t('question.remove', { number })}
      </button>
    </div>
  </fieldset>`;
}

function renderTime(
  view: QuestionEditorView,
  id: string,
  set: (c: Partial<DraftQuestion>) => void,
) {
  const { t, question, now } = view;
  return html`<label for=${id}>${t('question.atSeconds')}</label>
    <input
      id=${id}
      part="at-seconds"
      type="number"
      min="0"
      step="0.1"
      .value=${question.atSeconds === null ? '' : String(question.atSeconds)}
      @input=${(event: Event) => {
        const text = (event.target as HTMLInputElement).value;
        set({ atSeconds: text === '' ? null : Number(text) });
      }}
    />
    ${
      now === undefined
        ? nothing
        : html`<button
            type="button"
            part="set-now-button"
            @click=${() => set({ atSeconds: Math.round(now() * 10) / 10 })}
          >
            ${t('question.setNow')}
          </button>`
    }`;
}

function renderAnswer(view: QuestionEditorView, set: (c: Partial<DraftQuestion>) => void) {
  const { question } = view;
  switch (question.type) {
    case 'single_choice':
    case 'multiple_choice':
      return renderOptions(view, set);
    case 'true_false':
      return renderTrueFalse(view, set);
    case 'short_answer':
      return renderShortAnswer(view, set);
  }
}

function renderOptions(view: QuestionEditorView, set: (c: Partial<DraftQuestion>) => void) {
  const { t, question } = view;
  const single = question.type === 'single_choice';
  const correct = (optionId: string) =>
    single ? question.choice === optionId : question.choices.includes(optionId);
  const mark = (optionId: string, checked: boolean) => {
    if (single) set({ choice: optionId });
    else {
      const rest = question.choices.filter((id) => id !== optionId);
      set({ choices: checked ? [...rest, optionId] : rest });
    }
  };
  const removeOption = (optionId: string) =>
    set({
      options: question.options.filter((option) => option.id !== optionId),
      choice: question.choice === optionId ? '' : question.choice,
      choices: question.choices.filter((id) => id !== optionId),
    });
  return html`<fieldset part="options" class="nested">
    <legend>${t('question.options')}</legend>
    <ol>
      ${repeat(
        question.options,
        (option) => option.id,
        (option, index) => {
          const number = index + 1;
          const inputId = `${question.key}-${option.id}`;
          return html`<li part="option">
            <input
              type=${single ? 'radio' : 'checkbox'}
              name=${`${question.key}-correct`}
              aria-label=${t('question.correctOption', { number })}
              .checked=${correct(option.id)}
              @change=${(event: Event) => mark(option.id, (event.target as HTMLInputElement).checked)}
            />
            <label class="visually-hidden" for=${inputId}
              >${t('question.option', { number })}</label
            >
            <input
              id=${inputId}
              part="option-text"
              type="text"
              maxlength="500"
              .value=${option.text}
              @input=${(event: Event) => {
                const text = (event.target as HTMLInputElement).value;
                set({
                  options: question.options.map((each) =>
                    each.id === option.id ? { ...each, text } : each,
                  ),
                });
              }}
            />
            <button
              type="button"
              part="remove-option-button"
              ?disabled=${question.options.length <= 2}
              @click=${() => removeOption(option.id)}
            >
              <span aria-hidden="true">×</span>
              <span class="visually-hidden">${t('question.removeOption', { number })}</span>
            </button>
          </li>`;
        },
      )}
    </ol>
    <button
      type="button"
      part="add-option-button"
      ?disabled=${question.options.length >= 12}
      @click=${() =>
        set({ options: [...question.options, { id: nextOptionId(question), text: '' }] })}
    >
      ${t('question.addOption')}
    </button>
  </fieldset>`;
}

function renderTrueFalse(view: QuestionEditorView, set: (c: Partial<DraftQuestion>) => void) {
  const { t, question } = view;
  const radio = (value: boolean, text: string) =>
    html`<label part="option">
      <input
        type="radio"
        name=${`${question.key}-value`}
        .checked=${question.value === value}
        @change=${() => set({ value })}
      />
      ${text}
    </label>`;
  return html`<fieldset part="options" class="nested">
    <legend>${t('question.correctValue')}</legend>
    ${radio(true, t('question.true'))} ${radio(false, t('question.false'))}
  </fieldset>`;
}

function renderShortAnswer(view: QuestionEditorView, set: (c: Partial<DraftQuestion>) => void) {
  const { t, question } = view;
  const id = (field: string) => `${question.key}-${field}`;
  const text = (event: Event) => (event.target as HTMLInputElement).value;
  const kind = (value: DraftQuestion['shortKind'], label: string) =>
    html`<label part="option">
      <input
        type="radio"
        name=${`${question.key}-kind`}
        .checked=${question.shortKind === value}
        @change=${() => set({ shortKind: value })}
      />
      ${label}
    </label>`;
  const fields =
    question.shortKind === 'text'
      ? html`<label for=${id('accepted')}>${t('question.accepted')}</label>
          <textarea
            id=${id('accepted')}
            part="accepted"
            rows="3"
            .value=${question.accepted}
            @input=${(event: Event) => set({ accepted: text(event) })}
          ></textarea>`
      : html`<div class="row">
          <label for=${id('number')}>${t('question.number')}</label>
          <input
            id=${id('number')}
            part="number"
            type="text"
            inputmode="decimal"
            .value=${question.number}
            @input=${(event: Event) => set({ number: text(event) })}
          />
          <label for=${id('tolerance')}>${t('question.tolerance')}</label>
          <input
            id=${id('tolerance')}
            part="tolerance"
            type="text"
            inputmode="decimal"
            .value=${question.tolerance}
            @input=${(event: Event) => set({ tolerance: text(event) })}
          />
        </div>`;
  return html`<fieldset part="options" class="nested">
    <legend>${t('question.shortKind')}</legend>
    ${kind('text', t('question.shortText'))} ${kind('number', t('question.shortNumber'))} ${fields}
  </fieldset>`;
}
