import type { Knex } from 'knex';

/**
 * The quiz tables as the customer export holds them: ids, answers and scores, never a name.
 * Not the results' readers: those are trainer views that attach display names, which an
 * admin's export must not carry (quiz.results is the trainer's alone). In an anonymous quiz
 * the participant has no user id at all, only a pseudonym. The quiz domain keeps this list
 * beside its tables, so that a new column is decided here (the export round trip notices).
 */
export const quizTables = {
  quizzes: {
    table: 'quizzes',
    columns: {
      id: 'id',
      videoId: 'video_id',
      ownerId: 'owner_id',
      title: 'title',
      settings: 'settings',
      questions: 'questions',
      createdAt: 'created_at',
      updatedAt: 'updated_at',
    },
  },
  quizParticipants: {
    table: 'quiz_participants',
    columns: { id: 'id', quizId: 'quiz_id', userId: 'user_id', pseudonym: 'pseudonym' },
  },
  quizAttempts: {
    table: 'quiz_attempts',
    columns: {
      id: 'id',
      quizId: 'quiz_id',
      participantId: 'participant_id',
      number: 'number',
      answers: 'answers',
      startedAt: 'started_at',
      submittedAt: 'submitted_at',
      score: 'score',
      maxScore: 'max_score',
      marks: 'marks',
    },
  },
  quizGradePosts: {
    table: 'quiz_grade_posts',
    columns: {
      id: 'id',
      quizId: 'quiz_id',
      participantId: 'participant_id',
      resourceLinkId: 'resource_link_id',
      score: 'score',
      maxScore: 'max_score',
      state: 'state',
      tries: 'tries',
      updatedAt: 'updated_at',
    },
  },
} as const;

export type QuizRecordKind = keyof typeof quizTables;
export const quizRecordKinds = Object.keys(quizTables) as QuizRecordKind[];

const pageSize = 200;

/** Whether this database has the quiz tables (a server older than quizzes has none). */
export async function hasQuizTables(db: Knex): Promise<boolean> {
  return db.schema.hasTable('quizzes');
}

/** Every row of one quiz table of the tenant, by id, as plain JSON values. */
export async function* quizRecords(
  db: Knex,
  tenantId: string,
  kind: QuizRecordKind,
): AsyncGenerator<Record<string, unknown>> {
  const { table, columns } = quizTables[kind];
  const selected = Object.entries(columns).map(([name, column]) => `${column} as ${name}`);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = (await db(table)
      .where({ tenant_id: tenantId })
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .select(selected)) as Record<string, unknown>[];
    for (const row of rows) yield plain(row);
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = last.id as string;
  }
}

/** Dates as ISO strings, JSON columns as values, whichever way the driver returned them. */
function plain(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([name, value]) => [
      name,
      value instanceof Date ? value.toISOString() : value,
    ]),
  );
}
