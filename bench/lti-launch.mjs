// LTI launches under load: login initiation, the id_token POST and the launch page, as an LMS
// and its learners' browsers send them, beside a bare express handler that only verifies the
// same kind of RS256 id_token with the same library, in the same run. Both sides sign a fresh
// id_token per launch in this process, as the platform would. It prints ratios, never a pass
// mark. Exits non-zero only when launches failed.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';
import jwt from 'jsonwebtoken';
import { ask, startTarget, stopTarget } from './target-process.mjs';
import { integer, progress } from './cli.mjs';

const claim = (name) => `https://purl.imsglobal.org/spec/lti/claim/${name}`;
const options = readOptions();
const targets = [];
let jwks;
const budgetMs = (240 + 2 * (options.warmup + options.duration)) * 1000;
const watchdog = setTimeout(() => {
  console.error(`bench: gave up after ${budgetMs / 1000} s`);
  for (const target of targets) target.child.kill('SIGKILL');
  process.exit(2);
}, budgetMs);

try {
  process.exitCode = await bench();
} finally {
  await Promise.all(targets.map((target) => stopTarget(target.child)));
  jwks?.closeAllConnections();
  jwks?.close();
  clearTimeout(watchdog);
}

async function bench() {
  const platform = await startPlatform();
  progress('starting Lectern and migrating a fresh database…');
  const lectern = await startTarget('./targets/lectern.mjs');
  targets.push(lectern);
  await ask(
    lectern.child,
    {
      type: 'add-lti-platform',
      platform: {
        issuer: platform.issuer,
        clientId: platform.clientId,
        authUrl: `${platform.issuer}/auth`,
        tokenUrl: `${platform.issuer}/token`,
        jwksUrl: `${platform.issuer}/jwks`,
        deploymentIds: [platform.deploymentId],
      },
    },
    'lti-platform-added',
  );
  const baseline = await startTarget('./targets/bare-rs256.mjs', {
    config: { jwk: platform.publicJwk, issuer: platform.issuer, audience: platform.clientId },
  });
  targets.push(baseline);

  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const launchers = {
    bare: (user) => bareLaunch(agent, baseline.url, platform, user),
    lectern: (user) => lecternLaunch(agent, lectern.url, platform, user),
  };
  // A first pass signs every learner in once (on Lectern, it creates the accounts).
  progress(`first pass: ${options.users} learners launch once…`);
  await drive(launchers.lectern, { launches: options.users });
  const results = {};
  for (const name of ['bare', 'lectern']) {
    progress(`${name}: ${options.warmup} s warm-up, then ${options.duration} s measured…`);
    await drive(launchers[name], { seconds: options.warmup });
    results[name] = await drive(launchers[name], { seconds: options.duration });
  }
  agent.destroy();

  console.log(
    [
      '',
      'LTI launches (login, id_token POST, launch page) vs a bare express RS256 jwt.verify',
      `  load      ${options.duration} s at ${options.concurrency} concurrent launches after a ` +
        `${options.warmup} s warm-up, ${options.users} learners in turn`,
      `  database  ${lectern.database}`,
      '  tokens    RS256 (2048-bit), signed per launch in the bench process for both targets',
      '',
      report(results),
    ].join('\n'),
  );
  return results.bare.failed + results.lectern.failed > 0 ? 1 : 0;
}

/** One launch through Lectern: three requests, as the learner's browser makes them. */
async function lecternLaunch(agent, base, platform, user) {
  const login = new URL(`${base}/lti/login`);
  login.search = new URLSearchParams({
    iss: platform.issuer,
    login_hint: user,
    target_link_uri: `${base}/lti/launch`,
    client_id: platform.clientId,
    lti_deployment_id: platform.deploymentId,
  }).toString();
  const redirect = await send(agent, 'GET', login.href);
  if (redirect.status !== 302) return false;
  const auth = new URL(redirect.headers.location);
  const cookie = String(redirect.headers['set-cookie']?.[0] ?? '').split(';')[0];

  const idToken = platform.sign(user, auth.searchParams.get('nonce'), `${base}/lti/launch`);
  const page = await send(agent, 'POST', auth.searchParams.get('redirect_uri'), {
    form: { id_token: idToken, state: auth.searchParams.get('state') },
    cookie,
  });
  return page.status === 200 && page.body.includes('data-lectern-view');
}

/** The baseline's launch: a freshly signed id_token, verified and nothing else. */
async function bareLaunch(agent, base, platform, user) {
  const idToken = platform.sign(user, randomBytes(16).toString('hex'), `${base}/launch`);
  const answer = await send(agent, 'POST', `${base}/launch`, { form: { id_token: idToken } });
  return answer.status === 200;
}

/** Keeps `concurrency` launches going, for a time or a count; answers rate and latencies. */
async function drive(launch, { seconds, launches }) {
  const latencies = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const end = seconds === undefined ? Infinity : started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end && (launches === undefined || next < launches)) {
      const user = `learner-${next++ % options.users}`;
      const begun = performance.now();
      const ok = await launch(user).catch(() => false);
      latencies.push(performance.now() - begun);
      if (!ok) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (share) =>
    latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))] ?? 0;
  return {
    perSecond: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    total: latencies.length,
    failed,
  };
}

function report({ bare, lectern }) {
  const rows = [
    ['', 'launches/s', 'p50 ms', 'p99 ms', 'launches', 'failed'],
    row('bare express + RS256 jwt.verify', bare),
    row('lectern login → launch → page', lectern),
    [
      'ratio lectern / bare',
      `${(lectern.perSecond / bare.perSecond).toFixed(2)}×`,
      `${(lectern.p50 / bare.p50).toFixed(1)}×`,
      `${(lectern.p99 / bare.p99).toFixed(1)}×`,
      '',
      '',
    ],
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((cells) => cells[column].length)));
  const lines = rows.map((cells) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]),
      )
      .join('  '),
  );
  const failed = bare.failed + lectern.failed;
  const conclusion =
    failed > 0
      ? `Conclusion: ${failed} launches failed, so the figures compare nothing.`
      : `Conclusion: Lectern completes ${((100 * lectern.perSecond) / bare.perSecond).toFixed(1)} % ` +
        "of the bare verifier's launches per second, with a p99 " +
        `${(lectern.p99 / bare.p99).toFixed(1)}× the baseline's.`;
  return [...lines, '', conclusion].join('\n');
}

function row(label, result) {
  return [
    label,
    result.perSecond.toFixed(0),
    result.p50.toFixed(1),
    result.p99.toFixed(1),
    result.total.toLocaleString('en'),
    String(result.failed),
  ];
}

/** The LMS's side: a key pair, its JWKS on loopback, and id_tokens as Moodle builds them. */
async function startPlatform() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  jwks = http.createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${jwks.address().port}`;
  const clientId = 'benchclient0001';
  const deploymentId = '1';
  return {
    issuer,
    clientId,
    deploymentId,
    publicJwk,
    sign: (user, nonce, targetLinkUri) =>
      jwt.sign(
        {
          nonce,
          [claim('deployment_id')]: deploymentId,
          [claim('message_type')]: 'LtiResourceLinkRequest',
          [claim('version')]: '1.3.0',
          [claim('target_link_uri')]: targetLinkUri,
          [claim('resource_link')]: { id: 'rl-1', title: 'Fire safety' },
          [claim('roles')]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
          [claim('context')]: { id: 'course-2', label: 'SAFE101', title: 'Safety 101' },
        },
        privateKey,
        {
          algorithm: 'RS256',
          keyid: kid,
          issuer,
          audience: clientId,
          subject: user,
          expiresIn: 60,
        },
      ),
  };
}

function send(agent, method, url, { form, cookie } = {}) {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method,
      agent,
      headers: {
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(cookie ? { cookie } : {}),
      },
    });
    request.on('response', (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode,
          headers: response.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      concurrency: { type: 'string' },
      users: { type: 'string' },
    },
  });
  return {
    duration: integer('duration', values.duration ?? process.env.BENCH_DURATION ?? '10', 1, 120),
    warmup: integer('warmup', values.warmup ?? process.env.BENCH_WARMUP ?? '3', 0, 30),
    concurrency: integer(
      'concurrency',
      values.concurrency ?? process.env.BENCH_CONCURRENCY ?? '50',
      1,
      500,
    ),
    users: integer('users', values.users ?? process.env.BENCH_USERS ?? '500', 1, 100_000),
  };
}
