import type { TestLectern } from '../support/lectern.ts';
import { only, type Caller, type Row, type TenantFixture } from './matrix-shape.ts';

/** Everyone who signs in as a person takes quizzes; a backend's API key does not. */
const people = (status: number) => only(status, ['viewer', 'author', 'critic', 'trainer', 'admin']);
/** The viewer's own attempt: theirs to answer; to anyone else it is not there. */
const viewersAttempt: Record<Caller, number> = {
  anonymous: 401,
  viewer: 200,
  author: 404,
  critic: 404,
  trainer: 404,
  admin: 404,
  apiKey: 403,
};

/** A standalone quiz of the tenant's author, with one true/false question. */
async function quizOf(lectern: TestLectern, owner: TenantFixture) {
  const answer = await lectern.request('POST', '/api/v1/quizzes', {
    token: owner.credentials.author,
    body: {
      title: 'Matrix quiz',
      settings: { attemptsAllowed: null },
      questions: [{ type: 'true_false', prompt: 'Exits are marked.', answer: { value: true } }],
    },
  });
  return answer.body as { id: string; questions: { id: string }[] };
}

/** The quiz and an attempt the tenant's viewer has open. */
async function viewersOpenAttempt(lectern: TestLectern, owner: TenantFixture) {
  const quiz = await quizOf(lectern, owner);
  const attempt = await lectern.request('POST', `/api/v1/quizzes/${quiz.id}/attempts`, {
    token: owner.credentials.viewer,
    body: {},
  });
  return { quiz, attemptId: attempt.body.id as string };
}

export const quizRows: Row[] = [
  {
    route: 'POST /api/v1/quizzes',
    target: () => ({ path: '/api/v1/quizzes', body: { title: 'Matrix quiz' } }),
    own: only(201, ['author', 'trainer', 'admin', 'apiKey']),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/quizzes',
    target: () => ({ path: '/api/v1/quizzes' }),
    own: people(200),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/quizzes/:quizId',
    target: async (lectern, owner) => ({
      path: `/api/v1/quizzes/${(await quizOf(lectern, owner)).id}`,
    }),
    own: people(200),
    otherTenant: 404,
  },
  {
    route: 'GET /api/v1/quizzes/:quizId/definition',
    target: async (lectern, owner) => ({
      path: `/api/v1/quizzes/${(await quizOf(lectern, owner)).id}/definition`,
    }),
    // Its author, and the tenant's admins; a trainer edits the quizzes they made.
    own: only(200, ['author', 'admin', 'apiKey']),
    otherTenant: 404,
  },
  {
    route: 'PUT /api/v1/quizzes/:quizId',
    target: async (lectern, owner) => {
      const quiz = await quizOf(lectern, owner);
      return {
        path: `/api/v1/quizzes/${quiz.id}`,
        body: { title: 'Renamed', questions: [] },
      };
    },
    own: only(200, ['author', 'admin', 'apiKey']),
    otherTenant: 404,
  },
  {
    route: 'DELETE /api/v1/quizzes/:quizId',
    target: async (lectern, owner) => ({
      path: `/api/v1/quizzes/${(await quizOf(lectern, owner)).id}`,
    }),
    own: only(204, ['author', 'admin', 'apiKey']),
    otherTenant: 404,
  },
  {
    route: 'POST /api/v1/quizzes/:quizId/attempts',
    target: async (lectern, owner) => ({
      path: `/api/v1/quizzes/${(await quizOf(lectern, owner)).id}/attempts`,
      body: {},
    }),
    own: people(201),
    otherTenant: 404,
  },
  {
    route: 'PUT /api/v1/quizzes/:quizId/attempts/:attemptId/answers/:questionId',
    target: async (lectern, owner) => {
      const { quiz, attemptId } = await viewersOpenAttempt(lectern, owner);
      return {
        path: `/api/v1/quizzes/${quiz.id}/attempts/${attemptId}/answers/${quiz.questions[0]?.id}`,
        body: { answer: { value: true } },
      };
    },
    own: viewersAttempt,
    otherTenant: 404,
  },
  {
    route: 'POST /api/v1/quizzes/:quizId/attempts/:attemptId/submit',
    target: async (lectern, owner) => {
      const { quiz, attemptId } = await viewersOpenAttempt(lectern, owner);
      return { path: `/api/v1/quizzes/${quiz.id}/attempts/${attemptId}/submit`, body: {} };
    },
    own: viewersAttempt,
    otherTenant: 404,
  },
  {
    route: 'GET /api/v1/quizzes/:quizId/results',
    target: async (lectern, owner) => ({
      path: `/api/v1/quizzes/${(await quizOf(lectern, owner)).id}/results`,
    }),
    // The fixed floor: trainers alone, not even admins or the tenant's backend.
    own: only(200, ['trainer']),
    otherTenant: 403,
    stranger: 'trainer',
  },
  {
    route: 'GET /api/v1/quizzes/:quizId/results.csv',
    target: async (lectern, owner) => ({
      path: `/api/v1/quizzes/${(await quizOf(lectern, owner)).id}/results.csv`,
    }),
    own: only(200, ['trainer']),
    otherTenant: 403,
    stranger: 'trainer',
  },
];
