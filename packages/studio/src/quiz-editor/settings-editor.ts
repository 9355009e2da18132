import type { QuizSettings, Translator } from '@lectern/sdk';
import { html, nothing } from 'lit';
import type { EditorMessageKey } from './messages.js';

export interface SettingsView {
  t: Translator<EditorMessageKey>;
  settings: QuizSettings;
  onVideo: boolean;
  change(settings: QuizSettings): void;
}

/** Attempts, score policy, pass mark, and the switches of a quiz. */
export function renderSettings(view: SettingsView) {
  const { t, settings } = view;
  const set = (change: Partial<QuizSettings>) => view.change({ ...settings, ...change });
  const number = (event: Event) => Number((event.target as HTMLInputElement).value);
  const checked = (event: Event) => (event.target as HTMLInputElement).checked;
  const unlimited = settings.attemptsAllowed === null;
  const toggle = (name: keyof QuizSettings, label: string) =>
    html`<label class="check">
      <input
        type="checkbox"
        part=${`setting-${name}`}
        .checked=${Boolean(settings[name])}
        @change=${(event: Event) => set({ [name]: checked(event) })}
      />
      ${label}
    </label>`;

  return html`<fieldset part="settings">
    <legend>${t('settings.legend')}</legend>
    <div class="row">
      <label for="attempts">${t('settings.attempts')}</label>
      <input
        id="attempts"
        part="setting-attempts"
        type="number"
        min="1"
        max="100"
        step="1"
        ?disabled=${unlimited}
        .value=${unlimited ? '' : String(settings.attemptsAllowed)}
        @input=${(event: Event) => set({ attemptsAllowed: number(event) })}
      />
      <label class="check">
        <input
          type="checkbox"
          .checked=${unlimited}
          @change=${(event: Event) => set({ attemptsAllowed: checked(event) ? null : 1 })}
        />
        ${t('settings.unlimited')}
      </label>
    </div>
    <div class="row">
      <label for="score-policy">${t('settings.scorePolicy')}</label>
      <select
        id="score-policy"
        part="setting-scorePolicy"
        @change=${(event: Event) =>
          set({ scorePolicy: (event.target as HTMLSelectElement).value as 'best' | 'last' })}
      >
        <option value="best" ?selected=${settings.scorePolicy === 'best'}>
          ${t('settings.best')}
        </option>
        <option value="last" ?selected=${settings.scorePolicy === 'last'}>
          ${t('settings.last')}
        </option>
      </select>
      <label for="pass-mark">${t('settings.passMark')}</label>
      <input
        id="pass-mark"
        part="setting-passMark"
        type="number"
        min="0"
        max="100"
        .value=${String(settings.passMark)}
        @input=${(event: Event) => set({ passMark: number(event) })}
      />
    </div>
    ${view.onVideo ? toggle('blockSeeking', t('settings.blockSeeking')) : nothing}
    ${toggle('showCorrectAnswers', t('settings.showCorrectAnswers'))}
    ${toggle('anonymous', t('settings.anonymous'))}
    <p class="muted">${t('settings.anonymousNote')}</p>
  </fieldset>`;
}
