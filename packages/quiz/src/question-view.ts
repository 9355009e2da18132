import type { LearnerAnswer, LearnerQuestion, Translator } from '@lectern/sdk';
import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { MessageKey } from './messages.js';

export interface QuestionView {
  t: Translator<MessageKey>;
  question: LearnerQuestion;
  /** Its place in the quiz, from 1. */
  number: number;
  count: number;
  answer: LearnerAnswer | undefined;
  disabled: boolean;
  /**
   * The person changed the answer; `settled` is false while a text is still being typed and
   * true once a choice is made or the text field is left.
   */
  changed(answer: LearnerAnswer, settled: boolean): void;
}

/** One question as a fieldset: the prompt as its legend, then its choices or a text field. */
export function renderQuestion(view: QuestionView) {
  const { t, question } = view;
  const pointsId = `points-${question.id}`;
  return html`<fieldset
    part="question"
    data-question-id=${question.id}
    tabindex="-1"
    aria-describedby=${pointsId}
    ?disabled=${view.disabled}
  >
    <legend part="prompt">
      <span part="question-number" class="number">
        ${t('quiz.question', { number: view.number, count: view.count })}
      </span>
      <span class="text">${question.prompt}</span>
    </legend>
    <p part="points" class="muted" id=${pointsId}>
      ${question.points === 1 ? t('quiz.point') : t('quiz.points', { points: question.points })}
    </p>
    ${renderInputs(view)}
  </fieldset>`;
}

function renderInputs(view: QuestionView) {
  const { t, question, answer } = view;
  const name = `answer-${question.id}`;
  switch (question.type) {
    case 'single_choice':
      return repeat(
        question.options ?? [],
        (option) => option.id,
        (option) =>
          choice('radio', name, option.id, option.text, answerChoice(answer) === option.id, () =>
            view.changed({ choice: option.id }, true),
          ),
      );
    case 'multiple_choice': {
      const chosen = answer && 'choices' in answer ? answer.choices : [];
      // Read from the boxes themselves: two quick clicks come before the next render.
      const checkedIn = (box: HTMLInputElement) =>
        [...(box.closest('fieldset')?.querySelectorAll('input') ?? [])]
          .filter((input) => input.checked)
          .map((input) => input.value);
      return repeat(
        question.options ?? [],
        (option) => option.id,
        (option) =>
          choice('checkbox', name, option.id, option.text, chosen.includes(option.id), (box) =>
            view.changed({ choices: checkedIn(box) }, true),
          ),
      );
    }
    case 'true_false': {
      const value = answer && 'value' in answer ? answer.value : undefined;
      return html`${choice('radio', name, 'true', t('quiz.true'), value === true, () =>
        view.changed({ value: true }, true),
      )}
      ${choice('radio', name, 'false', t('quiz.false'), value === false, () =>
        view.changed({ value: false }, true),
      )}`;
    }
    case 'short_answer': {
      const id = `text-${question.id}`;
      const typed = (event: Event, settled: boolean) =>
        view.changed({ text: (event.target as HTMLInputElement).value }, settled);
      return html`<label part="answer-label" for=${id}>${t('quiz.your_answer')}</label>
        <input
          part="answer-input"
          id=${id}
          type="text"
          autocomplete="off"
          maxlength="500"
          .value=${answer && 'text' in answer ? answer.text : ''}
          @input=${(event: Event) => typed(event, false)}
          @change=${(event: Event) => typed(event, true)}
        />`;
    }
    default:
      return nothing;
  }
}

function choice(
  type: 'radio' | 'checkbox',
  name: string,
  value: string,
  text: string,
  checked: boolean,
  picked: (input: HTMLInputElement) => void,
) {
  return html`<label part="option">
    <input
      type=${type}
      name=${name}
      .value=${value}
      .checked=${checked}
      @change=${(event: Event) => picked(event.target as HTMLInputElement)}
    />
    <span>${text}</span>
  </label>`;
}

function answerChoice(answer: LearnerAnswer | undefined): string | undefined {
  return answer && 'choice' in answer ? answer.choice : undefined;
}
