import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { agsRoutes } from './ags.ts';
import { authRoutes } from './auth.ts';
import { coursePageRoutes, coursePageUrl } from './course-page.ts';
import { deepLinkRoutes } from './deep-linking.ts';
import { createKeyRing } from './keys.ts';
import { launch, prepareLaunch } from './launch.ts';
import { lineItemViews, scoresOf } from './line-items.ts';
import { openidConfiguration, type PlatformUrls } from './moodle.ts';
import { nrpsRoutes } from './nrps.ts';
import { configure, register, registrationRoutes } from './registration.ts';
import { courseFor, createState } from './state.ts';
import { tokenRoutes } from './token.ts';
import type { TestPlatform } from './types.ts';

/**
 * An LTI 1.3 platform that behaves as Moodle 4.1 does, on a free loopback port: OpenID
 * configuration, JWKS, dynamic registration, the authorization and token endpoints, AGS,
 * NRPS and the deep-linking return. It keeps everything in memory and logs nothing.
 */
export async function startTestPlatform(options: { host?: string } = {}): Promise<TestPlatform> {
  const host = options.host ?? '127.0.0.1';
  const app = express();
  app.disable('x-powered-by');
  const server = app.listen(0, host);
  await once(server, 'listening');
  // A test that forgets close() must not keep the run alive.
  server.unref();

  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const urls: PlatformUrls = {
    issuer,
    configuration: `${issuer}/.well-known/openid-configuration`,
    registration: `${issuer}/registration`,
    jwks: `${issuer}/jwks`,
    auth: `${issuer}/auth`,
    token: `${issuer}/token`,
  };
  const keys = createKeyRing();
  const state = createState(urls, keys);
  const frames: Parameters<typeof coursePageRoutes>[0] = new Map();

  app.get('/.well-known/openid-configuration', (_request, response) => {
    response.json(openidConfiguration(urls));
  });
  app.get('/jwks', (_request, response) => {
    response.json(keys.jwks());
  });
  app.use(authRoutes(state));
  app.use(coursePageRoutes(frames));
  app.use(registrationRoutes(state));
  app.use(tokenRoutes(state));
  app.use(agsRoutes(state));
  app.use(nrpsRoutes(state));
  app.use(deepLinkRoutes(state));
  app.use((request, response) => {
    response.status(404).type('text/plain');
    response.send(`The test platform has no ${request.method} ${request.path}.`);
  });
  // A platform bug or an unreadable body answers with its message, so that the test sees why.
  app.use(
    (
      error: Error & { status?: number },
      _request: Request,
      response: Response,
      _next: NextFunction,
    ) => {
      response
        .status(error.status ?? 500)
        .type('text/plain')
        .send(`Platform error: ${error.message}`);
    },
  );

  let closed: Promise<void> | undefined;
  return {
    issuer,
    jwksUrl: urls.jwks,
    authUrl: urls.auth,
    tokenUrl: urls.token,
    get clientId() {
      return state.current?.clientId ?? '';
    },
    get deploymentId() {
      return state.current?.deploymentId ?? '';
    },
    register: (registrationUrl) => register(state, registrationUrl),
    configure: (tool) => configure(state, tool),
    launch: (launchOptions) => launch(state, launchOptions),
    prepareLaunch: (launchOptions) => prepareLaunch(state, launchOptions),
    coursePage: (launchOptions) => coursePageUrl(state, frames, launchOptions),
    rotateKey: () => keys.rotate(),
    deepLinkResponses: state.deepLinkResponses,
    lineItems: (contextId) => lineItemViews(state, contextId),
    scores: (lineItemId) => scoresOf(state, lineItemId),
    failNextScores(count) {
      state.scoreFailures = count;
    },
    setMembers(contextId, members) {
      const course = courseFor(state, { id: contextId });
      course.members = new Map(members.map((member) => [member.id, member]));
      course.rosterSet = true;
    },
    serviceCalls: state.serviceCalls,
    close: () =>
      (closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
}
