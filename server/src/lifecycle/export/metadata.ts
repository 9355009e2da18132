import type { Knex } from 'knex';
import type { Tenant } from '../../identity/tenants.ts';
import { csvLines, type CsvTable } from './csv.ts';
import {
  hasQuizTables,
  quizRecordKinds,
  quizRecords,
  quizTables,
} from '../../quizzes/quiz-export.ts';
import { auditEntries } from '../../audit/audit-log.ts';
import { exportedReviews, exportedUsers, exportedVideos } from './tenant-records.ts';
import type { ExportedVideo } from './tenant-records.ts';

/** What a text entry of the archive is made from: its path and its lines, made on demand. */
export interface TextEntry {
  path: string;
  lines: () => AsyncIterable<string>;
}

export interface MetadataInput {
  db: Knex;
  tenant: Tenant;
  exportId: string;
  createdAt: Date;
}

function videoJson({ video, tracks, originalFile }: ExportedVideo) {
  return {
    id: video.id,
    ownerId: video.ownerId,
    title: video.title,
    description: video.description,
    state: video.state,
    container: video.container,
    durationSeconds: video.durationSeconds,
    originalSize: video.originalSize,
    original: originalFile,
    tracks: tracks.map((track) => ({
      kind: track.kind,
      language: track.language,
      label: track.label,
      cues: track.cues,
      file: track.file,
      updatedAt: track.updatedAt.toISOString(),
    })),
    createdAt: video.createdAt,
    updatedAt: video.updatedAt,
    publishedAt: video.publishedAt,
  };
}

/**
 * `metadata.json`, written as it is read: one record per line inside each list, so that a
 * tenant's audit log never has to fit in memory. Its schema is `metadataSchema`.
 */
async function* metadataLines(input: MetadataInput): AsyncGenerator<string> {
  const { db, tenant } = input;
  const head = {
    format: 'lectern-export',
    formatVersion: 1,
    exportId: input.exportId,
    createdAt: input.createdAt.toISOString(),
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, createdAt: tenant.createdAt },
  };
  yield JSON.stringify(head).slice(0, -1);

  const lists: [string, () => AsyncIterable<unknown>][] = [
    ['videos', () => mapped(exportedVideos(db, tenant.id), videoJson)],
    [
      'users',
      async function* () {
        yield* await exportedUsers(db, tenant.id);
      },
    ],
    ['reviews', () => exportedReviews(db, tenant.id)],
    ['auditLog', () => auditEntries(db, tenant.id)],
  ];
  const quizzes = await hasQuizTables(db);
  for (const kind of quizRecordKinds) {
    lists.push([kind, () => (quizzes ? quizRecords(db, tenant.id, kind) : empty())]);
  }

  for (const [name, records] of lists) {
    yield `,\n${JSON.stringify(name)}:[`;
    let first = true;
    for await (const record of records()) {
      yield `${first ? '\n' : ',\n'}${JSON.stringify(record)}`;
      first = false;
    }
    yield ']';
  }
  yield '}\n';
}

const videosCsv: CsvTable<ExportedVideo> = {
  columns: [
    'id',
    'owner_id',
    'title',
    'description',
    'state',
    'container',
    'duration_seconds',
    'original_size',
    'original_file',
    'created_at',
    'updated_at',
    'published_at',
  ],
  cells: ({ video, originalFile }) => [
    video.id,
    video.ownerId,
    video.title,
    video.description,
    video.state,
    video.container,
    video.durationSeconds,
    video.originalSize,
    originalFile,
    video.createdAt,
    video.updatedAt,
    video.publishedAt,
  ],
};

const tracksCsv: CsvTable<{ videoId: string; track: ExportedVideo['tracks'][number] }> = {
  columns: ['video_id', 'kind', 'language', 'label', 'cues', 'file', 'updated_at'],
  cells: ({ videoId, track }) => [
    videoId,
    track.kind,
    track.language,
    track.label,
    track.cues,
    track.file,
    track.updatedAt.toISOString(),
  ],
};

/** A CSV table of plain records: the columns are the record's own field names. */
function recordCsv(columns: readonly string[]): CsvTable<Record<string, unknown>> {
  return { columns, cells: (row) => columns.map((column) => row[column]) };
}

/** Every text entry of the archive: the metadata document and one CSV per kind of record. */
export function metadataEntries(input: MetadataInput): TextEntry[] {
  const { db, tenant } = input;
  const entries: TextEntry[] = [
    { path: 'metadata.json', lines: () => metadataLines(input) },
    { path: 'csv/videos.csv', lines: () => csvLines(videosCsv, exportedVideos(db, tenant.id)) },
    {
      path: 'csv/tracks.csv',
      lines: () => csvLines(tracksCsv, videoTracks(exportedVideos(db, tenant.id))),
    },
    {
      path: 'csv/users.csv',
      lines: async function* () {
        const users = await exportedUsers(db, tenant.id);
        const rows = users.map((user) => ({ ...user, roles: user.roles.join(' ') }));
        yield* csvLines(recordCsv(['id', 'source', 'roles']), rows);
      },
    },
    {
      path: 'csv/reviews.csv',
      lines: () =>
        csvLines(
          recordCsv(['videoId', 'decision', 'comment', 'reviewerId', 'at']),
          exportedReviews(db, tenant.id),
        ),
    },
    {
      path: 'csv/audit-log.csv',
      lines: () =>
        csvLines(
          recordCsv(['id', 'at', 'actor', 'action', 'subjectType', 'subjectId', 'details']),
          auditEntries(db, tenant.id),
        ),
    },
  ];
  for (const kind of quizRecordKinds) {
    const columns = Object.keys(quizTables[kind].columns);
    entries.push({
      path: `csv/${kebab(kind)}.csv`,
      lines: async function* () {
        const rows = (await hasQuizTables(db)) ? quizRecords(db, tenant.id, kind) : empty();
        yield* csvLines(recordCsv(columns), rows);
      },
    });
  }
  return entries;
}

async function* videoTracks(videos: AsyncIterable<ExportedVideo>) {
  for await (const { video, tracks } of videos) {
    for (const track of tracks) yield { videoId: video.id, track };
  }
}

async function* mapped<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield map(item);
}

async function* empty(): AsyncGenerator<Record<string, unknown>> {}

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
