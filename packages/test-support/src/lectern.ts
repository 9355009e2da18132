import { LecternClient, type Role, type VideoState } from '@lectern/sdk';

// Talks to the fixture in web-test-runner.config.mjs, which runs a real Lectern server.

/** A signed-in person: their client, and what an element needs to act for them. */
export interface Person {
  client: LecternClient;
  baseUrl: string;
  token: string;
  userId: string;
}

/** A tenant of the test's own, so that it sees only what it made; `prefix` names the package. */
export function newTenant(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
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
    userId: session.user.id,
  };
}

/** A video put straight into a state, owned by the given subject (signed in as an author). */
export async function addVideo(input: {
  tenant: string;
  title: string;
  state: VideoState;
  ownerSubject?: string;
  createdAt?: string;
}): Promise<{ videoId: string; ownerId: string }> {
  return fixture('/__lectern/videos', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ownerSubject: 'author', ...input }),
  });
}

async function fixture<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  if (!response.ok)
    throw new Error(`The fixture answered ${response.status}: ${await response.text()}`);
  return response.json() as Promise<T>;
}
