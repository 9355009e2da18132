/**
 * The JSON Schema (2020-12) of an export's `metadata.json`, shipped in every archive as
 * `schema/metadata.schema.json` and described in docs/export.md. Version 1: fields may be
 * added in later versions, never removed or changed in meaning.
 */
const id = { type: 'string', format: 'uuid' } as const;
const time = { type: 'string', format: 'date-time' } as const;
const nullable = <T extends object>(schema: T) => ({ anyOf: [schema, { type: 'null' }] });
const strict = (properties: Record<string, unknown>) => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
});
const list = (items: unknown) => ({ type: 'array', items });

const roleName = { enum: ['viewer', 'author', 'critic', 'trainer', 'admin'] };

export const metadataSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://lectern.dev/schemas/export/metadata-v1.json',
  title: 'Lectern customer export: metadata.json',
  ...strict({
    format: { const: 'lectern-export' },
    formatVersion: { const: 1 },
    exportId: id,
    createdAt: time,
    tenant: strict({ id, slug: { type: 'string' }, name: { type: 'string' }, createdAt: time }),
    videos: list({ $ref: '#/$defs/video' }),
    users: list(
      strict({
        id,
        source: { enum: ['lti', 'embed', 'local'] },
        roles: list(roleName),
      }),
    ),
    reviews: list(
      strict({
        videoId: id,
        decision: { enum: ['approved', 'rejected'] },
        comment: { type: 'string' },
        reviewerId: nullable(id),
        at: time,
      }),
    ),
    auditLog: list(
      strict({
        id: { type: 'string', pattern: '^[0-9]+$' },
        at: time,
        actor: { type: 'string' },
        action: { type: 'string' },
        subjectType: { type: 'string' },
        subjectId: { type: 'string' },
        details: { type: 'object' },
      }),
    ),
    quizzes: list(
      strict({
        id,
        videoId: nullable(id),
        ownerId: nullable(id),
        title: { type: 'string' },
        settings: { type: 'object' },
        questions: { type: 'array' },
        createdAt: time,
        updatedAt: time,
      }),
    ),
    quizParticipants: list(
      strict({ id, quizId: id, userId: nullable(id), pseudonym: { type: 'string' } }),
    ),
    quizAttempts: list(
      strict({
        id,
        quizId: id,
        participantId: id,
        number: { type: 'integer', minimum: 1 },
        answers: { type: 'object' },
        startedAt: time,
        submittedAt: nullable(time),
        score: nullable({ type: 'number' }),
        maxScore: nullable({ type: 'number' }),
        marks: { anyOf: [{ type: 'object' }, { type: 'array' }, { type: 'null' }] },
      }),
    ),
    quizGradePosts: list(
      strict({
        id,
        quizId: id,
        participantId: id,
        resourceLinkId: id,
        score: { type: 'number' },
        maxScore: { type: 'number' },
        state: { enum: ['pending', 'posted', 'failed'] },
        tries: { type: 'integer', minimum: 0 },
        updatedAt: time,
      }),
    ),
  }),
  $defs: {
    video: strict({
      id,
      ownerId: nullable(id),
      title: { type: 'string' },
      description: { type: 'string' },
      state: { enum: ['uploading', 'processing', 'in_review', 'published', 'rejected', 'failed'] },
      container: nullable({ type: 'string' }),
      durationSeconds: nullable({ type: 'number' }),
      originalSize: nullable({ type: 'integer', minimum: 0 }),
      original: nullable({ $ref: '#/$defs/file' }),
      tracks: list(
        strict({
          kind: { enum: ['captions', 'subtitles', 'chapters'] },
          language: { type: 'string' },
          label: { type: 'string' },
          cues: { type: 'integer', minimum: 0 },
          file: { $ref: '#/$defs/file' },
          updatedAt: time,
        }),
      ),
      createdAt: time,
      updatedAt: time,
      publishedAt: nullable(time),
    }),
    file: {
      description: 'A path inside the archive, relative to its root.',
      type: 'string',
      pattern: '^videos/[0-9a-f-]{36}/[a-z0-9._/-]+$',
    },
  },
} as const;
