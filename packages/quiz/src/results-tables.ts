import type { QuizGrade, QuizParticipant, QuizResults, Translator } from '@lectern/sdk';
import { html, nothing } from 'lit';
import type { MessageKey } from './messages.js';

type T = Translator<MessageKey>;

/** One row per participant; the LMS column only where grades can go to one. */
export function renderParticipants(data: QuizResults, t: T) {
  const showSync = !data.quiz.anonymous;
  return html`<table part="participants">
    <caption>
      ${t('results.participants')}
    </caption>
    <thead>
      <tr>
        <th scope="col">${t('results.participant')}</th>
        <th scope="col">${t('results.attempts')}</th>
        <th scope="col">${t('results.completed')}</th>
        <th scope="col">${t('results.grade')}</th>
        <th scope="col">${t('results.passed')}</th>
        ${showSync ? html`<th scope="col">${t('results.sync')}</th>` : nothing}
      </tr>
    </thead>
    <tbody>
      ${data.participants.map(
        (participant) =>
          html`<tr part="participant">
            <th scope="row">${participant.participant}</th>
            <td class="number">${participant.attempts}</td>
            <td>${participant.completed ? t('results.yes') : t('results.no')}</td>
            <td>${gradeText(participant.grade, t)}</td>
            <td>${passedText(participant.grade, t)}</td>
            ${showSync ? renderSync(participant, t) : nothing}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** How often each question was answered, and answered correctly. */
export function renderQuestionStatistics(data: QuizResults, t: T) {
  const percent = new Intl.NumberFormat(t.lang, { style: 'percent', maximumFractionDigits: 1 });
  return html`<table part="questions">
    <caption>
      ${t('results.questions')}
    </caption>
    <thead>
      <tr>
        <th scope="col">${t('results.question')}</th>
        <th scope="col">${t('results.answered')}</th>
        <th scope="col">${t('results.right')}</th>
        <th scope="col">${t('results.rate')}</th>
      </tr>
    </thead>
    <tbody>
      ${data.questions.map(
        (question) =>
          html`<tr part="question" data-question-id=${question.id}>
            <th scope="row">${question.prompt}</th>
            <td class="number">${question.answered}</td>
            <td class="number">${question.correct}</td>
            <td class="number">
              ${question.answered > 0 ? percent.format(question.correct / question.answered) : '–'}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function renderSync(participant: QuizParticipant, t: T) {
  const sync = participant.gradeSync ?? { state: 'none' as const, tries: 0 };
  const text =
    sync.state === 'failed'
      ? t('results.sync.failed', { tries: sync.tries })
      : t(`results.sync.${sync.state}`);
  return html`<td part="sync sync-${sync.state}" class="sync-${sync.state}">
    ${sync.state === 'failed' ? html`<span aria-hidden="true">⚠ </span>` : nothing}${text}
  </td>`;
}

function gradeText(grade: QuizGrade | null, t: T): string {
  if (!grade) return t('results.no_grade');
  return t('result.score', {
    score: grade.score,
    maxScore: grade.maxScore,
    percent: grade.percent,
  });
}

function passedText(grade: QuizGrade | null, t: T): string {
  if (!grade) return '–';
  return grade.passed ? t('results.yes') : t('results.no');
}
