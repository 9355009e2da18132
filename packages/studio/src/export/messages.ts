import type { Catalogs, Messages } from '@lectern/sdk';

// The sentences of <lectern-export>. Both catalogs hold the same keys (a test checks).

const en = {
  'export.heading': 'Export everything',
  'export.about':
    'One zip archive of everything in this tenant: each video as it was uploaded, its captions, and the metadata as JSON and CSV.',
  'export.loading': 'Loading the exports…',
  'export.request': 'Request an export',
  'export.requestAgain': 'Request a new export',
  'export.requesting': 'Requesting the export…',
  'export.queued': 'The export is requested and waits for its turn.',
  'export.building': 'The archive is being built. This can take a while; you may leave the page.',
  'export.progressLabel': 'Export progress',
  'export.ready': 'The export of {date} is ready: {size}, {entries} files.',
  'export.readyUntil': 'It can be downloaded until {date}.',
  'export.download': 'Download ({size})',
  'export.downloading': 'Downloading… {received} of {size}',
  'export.downloadLabel': 'Download progress',
  'export.downloaded': 'The archive is downloaded: {file}.',
  'export.saveAgain': 'Save {file} again',
  'export.resuming': 'The connection dropped; resuming the download…',
  'export.failed': 'The export could not be built ({code}).',
  'export.expiredNote': 'The last export has expired and its archive is gone.',
  'export.notAdmin': 'Only the tenant’s admins can export its data.',

  'error.export.not_ready': 'The export is still being built; wait until it is ready.',
  'error.export.failed': 'The export could not be built; request a new one.',
  'error.export.expired': 'The export has expired and its archive is gone; request a new one.',
  'error.export.range_not_satisfiable':
    'The download could not be resumed; start it again from the beginning.',
  'error.export.download_incomplete':
    'The download broke off several times; check the connection and try again.',
} satisfies Messages;

const de: Record<keyof typeof en, string> = {
  'export.heading': 'Alles exportieren',
  'export.about':
    'Ein ZIP-Archiv mit allem, was dieser Mandant enthält: jedes Video so, wie es hochgeladen wurde, seine Untertitel und die Metadaten als JSON und CSV.',
  'export.loading': 'Die Exporte werden geladen …',
  'export.request': 'Export anfordern',
  'export.requestAgain': 'Neuen Export anfordern',
  'export.requesting': 'Der Export wird angefordert …',
  'export.queued': 'Der Export ist angefordert und wartet, bis er an der Reihe ist.',
  'export.building':
    'Das Archiv wird erstellt. Das kann eine Weile dauern; Sie können die Seite verlassen.',
  'export.progressLabel': 'Fortschritt des Exports',
  'export.ready': 'Der Export vom {date} ist fertig: {size}, {entries} Dateien.',
  'export.readyUntil': 'Er kann bis {date} heruntergeladen werden.',
  'export.download': 'Herunterladen ({size})',
  'export.downloading': 'Wird heruntergeladen … {received} von {size}',
  'export.downloadLabel': 'Fortschritt des Downloads',
  'export.downloaded': 'Das Archiv ist heruntergeladen: {file}.',
  'export.saveAgain': '{file} noch einmal speichern',
  'export.resuming': 'Die Verbindung ist abgebrochen; der Download wird fortgesetzt …',
  'export.failed': 'Der Export konnte nicht erstellt werden ({code}).',
  'export.expiredNote': 'Der letzte Export ist abgelaufen, sein Archiv wurde gelöscht.',
  'export.notAdmin':
    'Nur die Administratorinnen und Administratoren des Mandanten können seine Daten exportieren.',

  'error.export.not_ready': 'Der Export wird noch erstellt; bitte warten Sie, bis er fertig ist.',
  'error.export.failed':
    'Der Export konnte nicht erstellt werden; bitte fordern Sie einen neuen an.',
  'error.export.expired':
    'Der Export ist abgelaufen und sein Archiv gelöscht; bitte fordern Sie einen neuen an.',
  'error.export.range_not_satisfiable':
    'Der Download konnte nicht fortgesetzt werden; bitte starten Sie ihn neu.',
  'error.export.download_incomplete':
    'Der Download ist mehrmals abgebrochen; bitte prüfen Sie die Verbindung und versuchen Sie es erneut.',
};

export const exportMessages: Catalogs<typeof en> = { en, de };
export type ExportMessageKey = keyof typeof en;
