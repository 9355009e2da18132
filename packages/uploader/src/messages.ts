import type { Catalogs } from '@lectern/sdk';

const en = {
  'dropzone.label': 'Drop a video here',
  'picker.button': 'Choose a video',
  'progress.label': 'Upload progress',
  'progress.text': '{percent} — {uploaded} of {total}',
  'action.pause': 'Pause',
  'action.resume': 'Resume',
  'action.retry': 'Try again',
  'action.cancel': 'Cancel',

  'status.starting': 'Preparing the upload of “{name}”…',
  'status.uploading': 'Uploading “{name}”…',
  'status.resuming': 'Resuming the earlier upload of “{name}”…',
  'status.restarting': 'The earlier upload of “{name}” is no longer on the server; starting again.',
  'status.retrying': 'The upload was interrupted; trying again ({attempt} of {attempts})…',
  'status.paused': 'Paused. Choose Resume to go on.',
  'status.offline': 'Waiting for the network… The upload goes on once you are back online.',
  'status.complete': '“{name}” is uploaded and is now being processed.',
  'status.cancelled': 'The upload of “{name}” was cancelled.',

  'check.empty': '“{name}” is empty. Choose a video file.',
  'check.too_large': '“{name}” is {size}; the largest file you can upload here is {max}.',
  'check.type': '“{name}” is not a type of file accepted here ({accept}).',

  'error.uploader.not_configured':
    'The uploader is not set up (base-url or token is missing). Tell whoever runs this page.',
  'error.uploader.load_failed':
    'The upload could not start because part of the uploader did not load. Check your connection and try again; if that does not help, reload the page.',
  'error.upload.file_unreadable':
    '“{name}” could not be read. It may have been moved or changed; choose it again.',
  'error.upload.no_progress': 'The server stopped accepting the upload. Try again later.',
  'error.network.failed': 'The server could not be reached. Check your connection and try again.',
  'error.response.invalid':
    'The server gave an answer the uploader does not understand (HTTP {status}). Try again later.',
  'error.unknown': 'The upload failed ({code}).',

  // The server's own codes, for languages the server does not write (see README).
  'error.upload.invalid': 'The upload request was malformed. Reload the page and try again.',
  'error.upload.empty': 'The file is empty. Choose a video file.',
  'error.upload.length_required': 'The size of the file could not be sent. Try again.',
  'error.upload.metadata_invalid': 'The title or file name is missing, too long or malformed.',
  'error.upload.too_large': 'The file is larger than your organisation allows for one video.',
  'error.upload.quota_exceeded': "The upload would exceed your organisation's storage quota.",
  'error.upload.not_video': 'The file is not a video Lectern can read.',
  'error.upload.offset_mismatch': 'The upload got out of step with the server. Try again.',
  'error.upload.conflict': 'Another request is writing this upload. Try again shortly.',
  'error.upload.data_changed':
    'The file changed while it was being uploaded. Choose it again to start over.',
  'error.upload.locked': 'Another request is writing this upload. Try again shortly.',
  'error.upload.expired': 'The upload expired. Choose the file again to start over.',
  'error.auth.missing': 'You are not signed in. Reload the page.',
  'error.auth.invalid': 'Your session is not valid. Reload the page.',
  'error.auth.expired': 'Your session has expired. Reload the page and try again.',
  'error.permission.denied': 'You do not have the right to upload videos here.',
  'error.resource.not_found': 'The upload is no longer on the server. Choose the file again.',
  'error.server.not_ready': 'The server is starting or shutting down. Try again shortly.',
  'error.server.internal': 'Something went wrong on the server. Try again later.',
};

const de: Record<keyof typeof en, string> = {
  'dropzone.label': 'Video hierher ziehen',
  'picker.button': 'Video auswählen',
  'progress.label': 'Fortschritt des Hochladens',
  'progress.text': '{percent} — {uploaded} von {total}',
  'action.pause': 'Anhalten',
  'action.resume': 'Fortsetzen',
  'action.retry': 'Erneut versuchen',
  'action.cancel': 'Abbrechen',

  'status.starting': 'Das Hochladen von „{name}“ wird vorbereitet …',
  'status.uploading': '„{name}“ wird hochgeladen …',
  'status.resuming': 'Das frühere Hochladen von „{name}“ wird fortgesetzt …',
  'status.restarting':
    'Das frühere Hochladen von „{name}“ ist nicht mehr auf dem Server; es beginnt von vorn.',
  'status.retrying': 'Das Hochladen wurde unterbrochen; neuer Versuch ({attempt} von {attempts}) …',
  'status.paused': 'Angehalten. Wählen Sie „Fortsetzen“, um weiterzumachen.',
  'status.offline':
    'Warten auf das Netzwerk … Das Hochladen geht weiter, sobald Sie wieder online sind.',
  'status.complete': '„{name}“ ist hochgeladen und wird jetzt verarbeitet.',
  'status.cancelled': 'Das Hochladen von „{name}“ wurde abgebrochen.',

  'check.empty': '„{name}“ ist leer. Wählen Sie eine Videodatei.',
  'check.too_large': '„{name}“ ist {size} groß; hier sind höchstens {max} erlaubt.',
  'check.type': '„{name}“ ist keine Datei der hier erlaubten Art ({accept}).',

  'error.uploader.not_configured':
    'Das Hochladen ist nicht eingerichtet (base-url oder token fehlt). Sagen Sie es den Betreibern dieser Seite.',
  'error.uploader.load_failed':
    'Das Hochladen konnte nicht beginnen, weil ein Teil davon nicht geladen wurde. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut; hilft das nicht, laden Sie die Seite neu.',
  'error.upload.file_unreadable':
    '„{name}“ konnte nicht gelesen werden. Vielleicht wurde die Datei verschoben oder geändert; wählen Sie sie erneut.',
  'error.upload.no_progress':
    'Der Server nimmt das Hochladen nicht mehr an. Versuchen Sie es später erneut.',
  'error.network.failed':
    'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  'error.response.invalid':
    'Der Server hat unverständlich geantwortet (HTTP {status}). Versuchen Sie es später erneut.',
  'error.unknown': 'Das Hochladen ist fehlgeschlagen ({code}).',

  'error.upload.invalid':
    'Die Anfrage zum Hochladen war fehlerhaft. Laden Sie die Seite neu und versuchen Sie es erneut.',
  'error.upload.empty': 'Die Datei ist leer. Wählen Sie eine Videodatei.',
  'error.upload.length_required':
    'Die Größe der Datei konnte nicht übermittelt werden. Versuchen Sie es erneut.',
  'error.upload.metadata_invalid': 'Titel oder Dateiname fehlt, ist zu lang oder ungültig.',
  'error.upload.too_large': 'Die Datei ist größer, als Ihre Organisation für ein Video erlaubt.',
  'error.upload.quota_exceeded':
    'Das Hochladen würde den Speicherplatz Ihrer Organisation überschreiten.',
  'error.upload.not_video': 'Die Datei ist kein Video, das Lectern lesen kann.',
  'error.upload.offset_mismatch':
    'Das Hochladen ist mit dem Server aus dem Takt geraten. Versuchen Sie es erneut.',
  'error.upload.conflict':
    'Eine andere Anfrage schreibt gerade in dieses Hochladen. Versuchen Sie es gleich erneut.',
  'error.upload.data_changed':
    'Die Datei hat sich beim Hochladen geändert. Wählen Sie sie erneut, um von vorn zu beginnen.',
  'error.upload.locked':
    'Eine andere Anfrage schreibt gerade in dieses Hochladen. Versuchen Sie es gleich erneut.',
  'error.upload.expired':
    'Das Hochladen ist abgelaufen. Wählen Sie die Datei erneut, um von vorn zu beginnen.',
  'error.auth.missing': 'Sie sind nicht angemeldet. Laden Sie die Seite neu.',
  'error.auth.invalid': 'Ihre Sitzung ist ungültig. Laden Sie die Seite neu.',
  'error.auth.expired':
    'Ihre Sitzung ist abgelaufen. Laden Sie die Seite neu und versuchen Sie es erneut.',
  'error.permission.denied': 'Sie dürfen hier keine Videos hochladen.',
  'error.resource.not_found':
    'Das Hochladen ist nicht mehr auf dem Server. Wählen Sie die Datei erneut.',
  'error.server.not_ready':
    'Der Server startet gerade oder fährt herunter. Versuchen Sie es gleich erneut.',
  'error.server.internal':
    'Auf dem Server ist etwas schiefgegangen. Versuchen Sie es später erneut.',
};

/** The uploader's sentences in English and German; every key exists in both. */
export const catalogs: Catalogs<typeof en> = { en, de };

export type MessageKey = keyof typeof en;

/** The catalogs' own sentence for an error code, when they have one. */
export function errorMessageKey(code: string): MessageKey | undefined {
  const key = `error.${code}`;
  return key in en ? (key as MessageKey) : undefined;
}
