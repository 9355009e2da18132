import type { Catalogs, Messages } from '@lectern/sdk';

// Every sentence the studio elements show. Both catalogs hold the same keys (a test checks).

const en = {
  'state.uploading': 'Uploading',
  'state.processing': 'Processing',
  'state.in_review': 'In review',
  'state.published': 'Published',
  'state.rejected': 'Rejected',
  'state.failed': 'Failed',

  'error.retry': 'Try again',
  'error.unknown': 'Something went wrong in this page; reloading it may help.',
  'error.auth.missing': 'Sign in first: send a session token as a Bearer header.',
  'error.auth.invalid': 'The session token is not valid; start a new session.',
  'error.auth.expired': 'The session has expired; start a new session.',
  'error.permission.denied': 'You do not have the right to do this.',
  'error.resource.not_found': 'There is no such item, or it is not yours to see.',
  'error.video.wrong_state': 'The video is not in a state that allows this; reload it.',
  'error.review.comment_required': 'Say why when you turn a video down: the author needs it.',
  'error.network.failed': 'The Lectern server could not be reached; check the connection.',
  'error.response.invalid': 'The Lectern server sent an answer this page cannot read.',
  'error.server.not_ready': 'The server is starting or shutting down; try again shortly.',
  'error.server.internal': 'Something went wrong on the server; the request id helps find it.',

  'library.label': 'Videos',
  'library.loading': 'Loading videos…',
  'library.empty': 'No videos to show.',
  'library.loadMore': 'Load more',
  'library.added': 'Added {date}',
  'library.published': 'Published {date}',
  'library.shown': '{count} videos shown.',

  'review.label': 'Videos waiting for review',
  'review.loading': 'Loading the review queue…',
  'review.empty': 'Nothing is waiting for your review.',
  'review.submitted': 'Submitted {date}',
  'review.approve': 'Approve',
  'review.reject': 'Reject',
  'review.cancel': 'Cancel',
  'review.comment': 'Why are you turning this video down? Its author will read this.',
  'review.approved': '“{title}” is approved.',
  'review.rejected': '“{title}” went back to its author with your comment.',
  'review.decidedElsewhere': 'Someone else decided on “{title}” first; it has left the queue.',
  'review.notCritic': 'Only critics can see the review queue.',
} satisfies Messages;

const de: Record<keyof typeof en, string> = {
  'state.uploading': 'Wird hochgeladen',
  'state.processing': 'Wird verarbeitet',
  'state.in_review': 'In Prüfung',
  'state.published': 'Veröffentlicht',
  'state.rejected': 'Abgelehnt',
  'state.failed': 'Fehlgeschlagen',

  'error.retry': 'Erneut versuchen',
  'error.unknown':
    'Auf dieser Seite ist etwas schiefgegangen; vielleicht hilft es, sie neu zu laden.',
  'error.auth.missing': 'Bitte melden Sie sich zuerst an: Es fehlt ein Sitzungstoken.',
  'error.auth.invalid': 'Das Sitzungstoken ist ungültig; bitte starten Sie eine neue Sitzung.',
  'error.auth.expired': 'Die Sitzung ist abgelaufen; bitte starten Sie eine neue Sitzung.',
  'error.permission.denied': 'Dazu fehlt Ihnen die Berechtigung.',
  'error.resource.not_found': 'Das gibt es nicht, oder Sie dürfen es nicht sehen.',
  'error.video.wrong_state':
    'Das Video ist nicht in einem Zustand, der das erlaubt; bitte laden Sie neu.',
  'error.review.comment_required':
    'Bitte begründen Sie die Ablehnung: Die Autorin oder der Autor braucht die Begründung.',
  'error.network.failed':
    'Der Lectern-Server ist nicht erreichbar; bitte prüfen Sie die Verbindung.',
  'error.response.invalid':
    'Der Lectern-Server hat eine Antwort geschickt, die diese Seite nicht lesen kann.',
  'error.server.not_ready':
    'Der Server startet gerade oder fährt herunter; bitte versuchen Sie es gleich noch einmal.',
  'error.server.internal':
    'Auf dem Server ist etwas schiefgegangen; die Anfrage-ID hilft bei der Suche.',

  'library.label': 'Videos',
  'library.loading': 'Videos werden geladen …',
  'library.empty': 'Keine Videos vorhanden.',
  'library.loadMore': 'Mehr laden',
  'library.added': 'Hinzugefügt am {date}',
  'library.published': 'Veröffentlicht am {date}',
  'library.shown': '{count} Videos angezeigt.',

  'review.label': 'Videos, die auf Prüfung warten',
  'review.loading': 'Die Prüfliste wird geladen …',
  'review.empty': 'Nichts wartet auf Ihre Prüfung.',
  'review.submitted': 'Eingereicht am {date}',
  'review.approve': 'Freigeben',
  'review.reject': 'Ablehnen',
  'review.cancel': 'Abbrechen',
  'review.comment':
    'Warum lehnen Sie dieses Video ab? Die Autorin oder der Autor liest diese Begründung.',
  'review.approved': '„{title}“ ist freigegeben.',
  'review.rejected': '„{title}“ ging mit Ihrer Begründung zurück an die Autorin oder den Autor.',
  'review.decidedElsewhere':
    'Jemand anderes hat schon über „{title}“ entschieden; das Video ist nicht mehr in der Liste.',
  'review.notCritic': 'Nur Prüferinnen und Prüfer (Rolle „critic“) sehen die Prüfliste.',
};

export const messages: Catalogs<typeof en> = { en, de };
export type MessageKey = keyof typeof en;
