import type { Catalogs, Messages } from '@lectern/sdk';

// Every sentence <lectern-quiz> and <lectern-quiz-results> show. Both catalogs hold the same
// keys and placeholders (a test checks).

const en = {
  'quiz.label': 'Quiz',
  'quiz.loading': 'Loading the quiz…',
  'quiz.intro': 'The video stops for {count} questions as it plays.',
  'quiz.progress': '{answered} of {count} questions answered.',
  'quiz.question': 'Question {number} of {count}',
  'quiz.points': '{points} points',
  'quiz.point': '1 point',
  'quiz.true': 'True',
  'quiz.false': 'False',
  'quiz.your_answer': 'Your answer',
  'quiz.continue': 'Save and continue the video',
  'quiz.submit': 'Submit answers',
  'quiz.saving': 'Saving your answer…',
  'quiz.submitting': 'Grading your answers…',
  'quiz.asked': 'The video is paused for question {number}: {prompt}',
  'quiz.saved': 'Answer saved.',
  'quiz.unanswered': 'Answer every question first: {count} still open.',
  'quiz.seek_blocked': 'Answer the question at {time} before moving further into the video.',
  'quiz.answer_first': 'Answer the question first; the video goes on after that.',

  'result.label': 'Your result',
  'result.score': '{score} of {maxScore} points ({percent} %)',
  'result.passed': 'Passed',
  'result.failed': 'Not passed',
  'result.grade': 'Your grade so far: {score} of {maxScore} points ({percent} %).',
  'result.correct': 'Correct',
  'result.wrong': 'Not correct',
  'result.earned': '{earned} of {points} points',
  'result.correct_answer': 'Correct answer: {answer}',
  'result.attempts_left': 'Attempts left: {count}',
  'result.attempts_unlimited': 'You may try as often as you like.',
  'result.no_attempts_left': 'No attempts are left.',
  'result.retry': 'Try again',
  'result.announce': 'Quiz submitted: {score} of {maxScore} points, {verdict}.',

  'results.label': 'Quiz results',
  'results.loading': 'Loading the results…',
  'results.anonymous':
    'This quiz is anonymous: participants appear under pseudonyms, in random order, and no grades go to the LMS.',
  'results.participants': 'Participants',
  'results.participant': 'Participant',
  'results.attempts': 'Attempts',
  'results.completed': 'Completed',
  'results.grade': 'Grade',
  'results.passed': 'Passed',
  'results.sync': 'Grade in the LMS',
  'results.yes': 'Yes',
  'results.no': 'No',
  'results.none_yet': 'Nobody has taken this quiz yet.',
  'results.no_grade': 'No grade yet',
  'results.sync.posted': 'Sent',
  'results.sync.pending': 'Waiting to be sent',
  'results.sync.failed': 'Failed ({tries} tries)',
  'results.sync.none': 'Not sent to an LMS',
  'results.questions': 'Questions',
  'results.question': 'Question',
  'results.answered': 'Answered',
  'results.right': 'Correct',
  'results.rate': 'Rate',
  'results.summary': '{count} participants; pass mark {passMark} %.',
  'results.download': 'Download CSV',
  'results.downloading': 'Preparing the CSV file…',
  'results.downloaded': 'The CSV file “{file}” was downloaded.',
  'results.retry': 'Try again',

  'error.quiz.not_configured':
    'The quiz is not set up (base-url, token or quiz is missing). Tell whoever runs this page.',
  'error.quiz.player_not_found':
    'The quiz cannot find the video player it belongs to. Tell whoever runs this page.',
  'error.unknown': 'Something went wrong ({code}). Reloading the page may help.',

  // The server's own codes, for languages the server does not write.
  'error.quiz.invalid': 'The quiz does not fit together; the details say where.',
  'error.quiz.unknown_question': 'This question is no longer part of the quiz. Reload the page.',
  'error.quiz.answer_invalid': 'This answer does not fit the question. Check it and try again.',
  'error.quiz.attempts_exhausted': 'You have no attempt left for this quiz.',
  'error.quiz.attempt_closed':
    'This attempt was submitted already, perhaps in another window. Reload to see the result.',
  'error.resource.not_found': 'This quiz does not exist, or it is not yours to see.',
  'error.permission.denied': 'You do not have the right to do this.',
  'error.auth.missing': 'You are not signed in. Reload the page.',
  'error.auth.invalid': 'Your session is not valid. Reload the page.',
  'error.auth.expired': 'Your session has expired. Reload the page and try again.',
  'error.network.failed': 'The server could not be reached. Check your connection and try again.',
  'error.response.invalid': 'The server sent an answer this page cannot read. Try again later.',
  'error.server.not_ready': 'The server is starting or shutting down. Try again shortly.',
  'error.server.internal': 'Something went wrong on the server. Try again later.',
} satisfies Messages;

const de: Record<keyof typeof en, string> = {
  'quiz.label': 'Quiz',
  'quiz.loading': 'Das Quiz wird geladen …',
  'quiz.intro': 'Das Video hält für {count} Fragen an, während es läuft.',
  'quiz.progress': '{answered} von {count} Fragen beantwortet.',
  'quiz.question': 'Frage {number} von {count}',
  'quiz.points': '{points} Punkte',
  'quiz.point': '1 Punkt',
  'quiz.true': 'Richtig',
  'quiz.false': 'Falsch',
  'quiz.your_answer': 'Ihre Antwort',
  'quiz.continue': 'Speichern und Video fortsetzen',
  'quiz.submit': 'Antworten abgeben',
  'quiz.saving': 'Ihre Antwort wird gespeichert …',
  'quiz.submitting': 'Ihre Antworten werden bewertet …',
  'quiz.asked': 'Das Video ist für Frage {number} angehalten: {prompt}',
  'quiz.saved': 'Antwort gespeichert.',
  'quiz.unanswered': 'Bitte beantworten Sie zuerst alle Fragen: {count} sind noch offen.',
  'quiz.seek_blocked':
    'Bitte beantworten Sie die Frage bei {time}, bevor Sie im Video weiter springen.',
  'quiz.answer_first': 'Bitte beantworten Sie zuerst die Frage; danach geht das Video weiter.',

  'result.label': 'Ihr Ergebnis',
  'result.score': '{score} von {maxScore} Punkten ({percent} %)',
  'result.passed': 'Bestanden',
  'result.failed': 'Nicht bestanden',
  'result.grade': 'Ihre bisherige Bewertung: {score} von {maxScore} Punkten ({percent} %).',
  'result.correct': 'Richtig',
  'result.wrong': 'Nicht richtig',
  'result.earned': '{earned} von {points} Punkten',
  'result.correct_answer': 'Richtige Antwort: {answer}',
  'result.attempts_left': 'Verbleibende Versuche: {count}',
  'result.attempts_unlimited': 'Sie dürfen es beliebig oft versuchen.',
  'result.no_attempts_left': 'Es sind keine Versuche mehr übrig.',
  'result.retry': 'Noch einmal versuchen',
  'result.announce': 'Quiz abgegeben: {score} von {maxScore} Punkten, {verdict}.',

  'results.label': 'Quiz-Ergebnisse',
  'results.loading': 'Die Ergebnisse werden geladen …',
  'results.anonymous':
    'Dieses Quiz ist anonym: Die Teilnehmenden erscheinen unter Pseudonymen in zufälliger Reihenfolge, und es gehen keine Bewertungen an das LMS.',
  'results.participants': 'Teilnehmende',
  'results.participant': 'Teilnehmer/in',
  'results.attempts': 'Versuche',
  'results.completed': 'Abgeschlossen',
  'results.grade': 'Bewertung',
  'results.passed': 'Bestanden',
  'results.sync': 'Bewertung im LMS',
  'results.yes': 'Ja',
  'results.no': 'Nein',
  'results.none_yet': 'Noch niemand hat dieses Quiz bearbeitet.',
  'results.no_grade': 'Noch keine Bewertung',
  'results.sync.posted': 'Übermittelt',
  'results.sync.pending': 'Wartet auf Übermittlung',
  'results.sync.failed': 'Fehlgeschlagen ({tries} Versuche)',
  'results.sync.none': 'Geht an kein LMS',
  'results.questions': 'Fragen',
  'results.question': 'Frage',
  'results.answered': 'Beantwortet',
  'results.right': 'Richtig',
  'results.rate': 'Quote',
  'results.summary': '{count} Teilnehmende; Bestehensgrenze {passMark} %.',
  'results.download': 'CSV herunterladen',
  'results.downloading': 'Die CSV-Datei wird vorbereitet …',
  'results.downloaded': 'Die CSV-Datei „{file}“ wurde heruntergeladen.',
  'results.retry': 'Erneut versuchen',

  'error.quiz.not_configured':
    'Das Quiz ist nicht eingerichtet (base-url, token oder quiz fehlt). Bitte wenden Sie sich an die Betreiber dieser Seite.',
  'error.quiz.player_not_found':
    'Das Quiz findet den Videoplayer nicht, zu dem es gehört. Bitte wenden Sie sich an die Betreiber dieser Seite.',
  'error.unknown':
    'Etwas ist schiefgegangen ({code}). Vielleicht hilft es, die Seite neu zu laden.',

  'error.quiz.invalid': 'Das Quiz passt nicht zusammen; die Einzelheiten sagen, wo.',
  'error.quiz.unknown_question':
    'Diese Frage gehört nicht mehr zum Quiz. Bitte laden Sie die Seite neu.',
  'error.quiz.answer_invalid':
    'Diese Antwort passt nicht zur Frage. Bitte prüfen Sie sie und versuchen Sie es noch einmal.',
  'error.quiz.attempts_exhausted': 'Für dieses Quiz haben Sie keinen Versuch mehr.',
  'error.quiz.attempt_closed':
    'Dieser Versuch wurde schon abgegeben, vielleicht in einem anderen Fenster. Laden Sie neu, um das Ergebnis zu sehen.',
  'error.resource.not_found': 'Dieses Quiz gibt es nicht, oder Sie dürfen es nicht sehen.',
  'error.permission.denied': 'Dazu fehlt Ihnen die Berechtigung.',
  'error.auth.missing': 'Sie sind nicht angemeldet. Laden Sie die Seite neu.',
  'error.auth.invalid': 'Ihre Sitzung ist ungültig. Laden Sie die Seite neu.',
  'error.auth.expired':
    'Ihre Sitzung ist abgelaufen. Laden Sie die Seite neu und versuchen Sie es noch einmal.',
  'error.network.failed':
    'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es noch einmal.',
  'error.response.invalid':
    'Der Server hat eine Antwort geschickt, die diese Seite nicht lesen kann. Versuchen Sie es später noch einmal.',
  'error.server.not_ready':
    'Der Server startet gerade oder fährt herunter. Versuchen Sie es gleich noch einmal.',
  'error.server.internal':
    'Auf dem Server ist etwas schiefgegangen. Versuchen Sie es später noch einmal.',
};

export type MessageKey = keyof typeof en;

export const catalogs: Catalogs<typeof en> = { en, de };
