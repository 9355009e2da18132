import type { Catalogs } from '@lectern/sdk';

const en = {
  'player.label': 'Video player',
  'poster.play': 'Play video',
  'action.play': 'Play',
  'action.pause': 'Pause',
  'action.mute': 'Mute',
  'action.unmute': 'Unmute',
  'action.fullscreen': 'Full screen',
  'action.exit_fullscreen': 'Exit full screen',
  'captions.label': 'Captions',
  'captions.off': 'Off',
  'chapters.label': 'Chapters',
  'action.retry': 'Try again',
  'seek.label': 'Position in the video',
  'seek.value': '{current} of {duration}',
  'rate.label': 'Playback speed',
  'rate.normal': 'Normal',

  'status.loading': 'Loading the video…',
  'status.buffering': 'Loading…',

  'error.player.not_configured':
    'The player is not set up (base-url, video, or token or token-url is missing). Tell whoever runs this page.',
  'error.player.token_url_failed':
    'The player could not get a session from this page. Reload the page and try again.',
  'error.player.unsupported': 'This browser cannot play this video. Try a current browser.',
  'error.player.media_error': 'The video could not be decoded. Try again later.',
  'error.player.network': 'The video stopped loading. Check your connection and try again.',
  'error.unknown': 'The video cannot be played ({code}).',

  // The server's own codes, for languages the server does not write.
  'error.resource.not_found': 'This video does not exist or you do not have access to it.',
  'error.permission.denied': 'You do not have access to this video.',
  'error.playback.not_ready': 'This video is still being processed. Try again in a few minutes.',
  'error.auth.missing': 'You are not signed in. Reload the page.',
  'error.auth.invalid': 'Your session is not valid. Reload the page.',
  'error.auth.expired': 'Your session has expired. Reload the page and try again.',
  'error.network.failed': 'The server could not be reached. Check your connection and try again.',
  'error.response.invalid':
    'The server gave an answer the player does not understand. Try again later.',
  'error.server.not_ready': 'The server is starting or shutting down. Try again shortly.',
  'error.server.internal': 'Something went wrong on the server. Try again later.',
};

const de: Record<keyof typeof en, string> = {
  'player.label': 'Videoplayer',
  'poster.play': 'Video abspielen',
  'action.play': 'Abspielen',
  'action.pause': 'Pause',
  'action.mute': 'Ton aus',
  'action.unmute': 'Ton an',
  'action.fullscreen': 'Vollbild',
  'action.exit_fullscreen': 'Vollbild beenden',
  'captions.label': 'Untertitel',
  'captions.off': 'Aus',
  'chapters.label': 'Kapitel',
  'action.retry': 'Erneut versuchen',
  'seek.label': 'Position im Video',
  'seek.value': '{current} von {duration}',
  'rate.label': 'Wiedergabegeschwindigkeit',
  'rate.normal': 'Normal',

  'status.loading': 'Das Video wird geladen…',
  'status.buffering': 'Wird geladen…',

  'error.player.not_configured':
    'Der Player ist nicht eingerichtet (base-url, video oder token bzw. token-url fehlt). Bitte wenden Sie sich an die Betreiber dieser Seite.',
  'error.player.token_url_failed':
    'Der Player hat von dieser Seite keine Sitzung erhalten. Laden Sie die Seite neu und versuchen Sie es noch einmal.',
  'error.player.unsupported':
    'Dieser Browser kann das Video nicht abspielen. Versuchen Sie es mit einem aktuellen Browser.',
  'error.player.media_error':
    'Das Video konnte nicht dekodiert werden. Versuchen Sie es später noch einmal.',
  'error.player.network':
    'Das Video lädt nicht weiter. Prüfen Sie Ihre Verbindung und versuchen Sie es noch einmal.',
  'error.unknown': 'Das Video kann nicht abgespielt werden ({code}).',

  'error.resource.not_found': 'Dieses Video gibt es nicht, oder Sie haben keinen Zugriff darauf.',
  'error.permission.denied': 'Sie haben keinen Zugriff auf dieses Video.',
  'error.playback.not_ready':
    'Dieses Video wird noch verarbeitet. Versuchen Sie es in einigen Minuten noch einmal.',
  'error.auth.missing': 'Sie sind nicht angemeldet. Laden Sie die Seite neu.',
  'error.auth.invalid': 'Ihre Sitzung ist ungültig. Laden Sie die Seite neu.',
  'error.auth.expired':
    'Ihre Sitzung ist abgelaufen. Laden Sie die Seite neu und versuchen Sie es noch einmal.',
  'error.network.failed':
    'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es noch einmal.',
  'error.response.invalid':
    'Der Server hat eine Antwort gegeben, die der Player nicht versteht. Versuchen Sie es später noch einmal.',
  'error.server.not_ready':
    'Der Server startet gerade oder fährt herunter. Versuchen Sie es gleich noch einmal.',
  'error.server.internal':
    'Auf dem Server ist etwas schiefgegangen. Versuchen Sie es später noch einmal.',
};

export type MessageKey = keyof typeof en;

export const catalogs: Catalogs<typeof en> = { en, de };
