import { LecternClient, type QuizDefinition, type QuizInput, type Role } from '@lectern/sdk';

// Talks to the fixture in web-test-runner.config.mjs, which runs a real Lectern server.

/** A signed-in person: their client, and what an element needs to act for them. */
export interface Person {
  client: LecternClient;
  baseUrl: string;
  token: string;
}

/** A tenant of the test's own. */
export function newTenant(): string {
  return `quiz-${crypto.randomUUID().slice(0, 8)}`;
}

export async function signIn(
  roles: Role[],
  options: { tenant: string; subject?: string },
): Promise<Person> {
  const query = new URLSearchParams({ roles: roles.join(','), tenant: options.tenant });
  if (options.subject) query.set('subject', options.subject);
  const { baseUrl, embedToken } = await fixture<{ baseUrl: string; embedToken: string }>(
    `/__lectern/fixture?${query}`,
  );
  const session = await new LecternClient({ baseUrl }).createSession(embedToken);
  return {
    client: new LecternClient({ baseUrl, token: session.token }),
    baseUrl,
    token: session.token,
  };
}

/** A published video of the tenant, made by the fixture (no upload behind it). */
export async function addVideo(tenant: string, title: string): Promise<string> {
  const { videoId } = await fixture<{ videoId: string }>('/__lectern/videos', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant, title, state: 'published', ownerSubject: 'author' }),
  });
  return videoId;
}

/**
 * A standalone quiz of four questions, one of each type, a point each. The accepted short
 * answer is a word no option or prompt holds, so that a test can look for it anywhere.
 */
export const secretWord = 'Sammelplatz';

export function standaloneQuiz(settings: QuizInput['settings'] = {}): QuizInput {
  return {
    title: 'Fire safety check',
    settings: { showCorrectAnswers: true, ...settings },
    questions: [
      {
        type: 'single_choice',
        prompt: 'Which exit do you take?',
        options: [
          { id: 'o1', text: 'North stairs' },
          { id: 'o2', text: 'The lift' },
        ],
        answer: { choice: 'o1' },
      },
      {
        type: 'multiple_choice',
        prompt: 'What do you bring?',
        options: [
          { id: 'o1', text: 'Nothing but yourself' },
          { id: 'o2', text: 'Your laptop' },
          { id: 'o3', text: 'A colleague who needs help' },
        ],
        answer: { choices: ['o1', 'o3'] },
      },
      { type: 'true_false', prompt: 'Fire doors may be wedged open.', answer: { value: false } },
      {
        type: 'short_answer',
        prompt: 'Where does everyone meet outside?',
        answer: { accepted: [secretWord] },
      },
    ],
  };
}

export async function createQuiz(author: Person, input: QuizInput): Promise<QuizDefinition> {
  return author.client.createQuiz(input);
}

async function fixture<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  if (!response.ok)
    throw new Error(`The fixture answered ${response.status}: ${await response.text()}`);
  return response.json() as Promise<T>;
}
