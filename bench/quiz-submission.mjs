// Quiz submissions at 200 concurrent learners, beside the session exchange measured on the same
// Lectern at the same concurrency in the same run. Each learner loops: start an attempt, submit
// four answers (graded on the server, in one transaction). It prints submissions per second with
// p50 and p99 of the submit request, the exchange's figures, and the ratio of the two: the
// machine's speed cancels out of it. Exits non-zero only when requests failed.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import jwt from 'jsonwebtoken';
import { integer, progress } from './cli.mjs';
import { runLoad } from './load.mjs';
import { startTarget, stopTarget } from './target-process.mjs';

const options = readOptions();
let lectern;
const budgetMs = (180 + 4 * (options.warmup + options.duration)) * 1000;
const watchdog = setTimeout(() => {
  console.error(`bench: gave up after ${budgetMs / 1000} s`);
  lectern?.child.kill('SIGKILL');
  process.exit(2);
}, budgetMs);

try {
  process.exitCode = await bench();
} finally {
  if (lectern) await stopTarget(lectern.child);
  clearTimeout(watchdog);
}

async function bench() {
  progress('starting Lectern and migrating a fresh database…');
  lectern = await startTarget('./targets/lectern.mjs');

  progress(`signing in an author and ${options.learners} learners…`);
  const author = await signIn(embedToken('bench-author', ['author']));
  const quiz = await api('POST', '/api/v1/quizzes', author, {
    title: 'Fire safety check',
    settings: { attemptsAllowed: null },
    questions: questions(),
  });
  const learnerTokens = Array.from({ length: options.learners }, (_, index) =>
    embedToken(`bench-learner-${index}`, ['viewer']),
  );
  const sessions = [];
  for (const token of learnerTokens) sessions.push(await signIn(token));
  const answers = rightAnswers(quiz.body.questions);

  const bodies = learnerTokens.map((token) => JSON.stringify({ token }));
  const rotation = { next: 0 };
  const connections = options.learners;
  if (options.warmup > 0) {
    progress(`session exchange: warming up for ${options.warmup} s…`);
    await runLoad({ url: lectern.url, bodies, rotation, connections, duration: options.warmup });
  }
  progress(`session exchange: measuring for ${options.duration} s at ${connections} connections…`);
  const exchange = await runLoad({
    url: lectern.url,
    bodies,
    rotation,
    connections,
    duration: options.duration,
  });

  if (options.warmup > 0) {
    progress(`submissions: warming up for ${options.warmup} s…`);
    await submitLoop(quiz.body.id, sessions, answers, options.warmup);
  }
  progress(`submissions: measuring for ${options.duration} s at ${options.learners} learners…`);
  const submissions = await submitLoop(quiz.body.id, sessions, answers, options.duration);

  const perSecond = submissions.completed / submissions.seconds;
  const row = (name, rate, p50, p99, failed) =>
    `  ${name.padEnd(20)} ${Math.round(rate).toLocaleString('en').padStart(8)} /s` +
    `   p50 ${p50.toFixed(1).padStart(7)} ms   p99 ${p99.toFixed(1).padStart(7)} ms` +
    `   failed ${failed}`;
  const exchangeFailed = `${failedOf(exchange)} (${exchange.errors} errors, ${exchange.non2xx} non-2xx)`;
  console.log(
    [
      '',
      `Quiz submissions vs session exchanges, ${options.learners} concurrent, one Lectern, one run`,
      `  load      ${options.duration} s each after a ${options.warmup} s warm-up; ` +
        'load generator and Lectern in separate processes',
      `  database  ${lectern.database}`,
      '  quiz      4 questions (single, multiple, true/false, short answer); each learner ' +
        'starts an attempt, then submits its answers',
      '',
      row('quiz submissions', perSecond, submissions.p50, submissions.p99, submissions.failed),
      row(
        'session exchanges',
        exchange.requestsPerSecond,
        exchange.p50,
        exchange.p99,
        exchangeFailed,
      ),
      '',
      `  submissions / exchanges: ${(perSecond / exchange.requestsPerSecond).toFixed(2)}× the rate, ` +
        `${(submissions.p99 / exchange.p99).toFixed(2)}× the p99`,
    ].join('\n'),
  );
  return submissions.failed + failedOf(exchange) > 0 ? 1 : 0;
}

/**
 * Every learner at once, each in its own loop for `seconds`: start an attempt, then submit. Only
 * the submit request is timed; a cycle counts once its submission is graded.
 */
async function submitLoop(quizId, sessions, answers, seconds) {
  const latencies = [];
  let completed = 0;
  let failed = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    sessions.map(async (session) => {
      while (performance.now() < end) {
        const attempt = await api('POST', `/api/v1/quizzes/${quizId}/attempts`, session, {});
        if (attempt.status !== 201) {
          failed += 1;
          continue;
        }
        const sent = performance.now();
        const graded = await api(
          'POST',
          `/api/v1/quizzes/${quizId}/attempts/${attempt.body.id}/submit`,
          session,
          { answers },
        );
        latencies.push(performance.now() - sent);
        if (graded.status === 200 && graded.body.score === 5) completed += 1;
        else failed += 1;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (share) =>
    latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))] ?? 0;
  return {
    completed,
    failed,
    seconds: (performance.now() - started) / 1000,
    p50: at(0.5),
    p99: at(0.99),
  };
}

async function api(method, path, token, body) {
  const response = await fetch(`${lectern.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function signIn(embed) {
  const response = await fetch(`${lectern.url}/api/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: embed }),
  });
  if (response.status !== 201) throw new Error(`sign-in failed: ${response.status}`);
  return (await response.json()).token;
}

function embedToken(sub, roles) {
  // Long enough for the exchange phase at the end of the run.
  return jwt.sign({ sub, roles }, lectern.embedKey.secret, {
    algorithm: 'HS256',
    keyid: lectern.embedKey.id,
    audience: lectern.url,
    expiresIn: 600,
  });
}

function questions() {
  return [
    {
      type: 'single_choice',
      prompt: 'Which extinguisher is for electrical fires?',
      options: [{ text: 'Water' }, { text: 'Carbon dioxide' }, { text: 'Foam' }],
      answer: { choice: 'o2' },
    },
    {
      type: 'multiple_choice',
      prompt: 'What do you do first?',
      options: [{ text: 'Raise the alarm' }, { text: 'Take the lift' }, { text: 'Close doors' }],
      answer: { choices: ['o1', 'o3'] },
    },
    { type: 'true_false', prompt: 'Fire doors may be wedged open.', answer: { value: false } },
    {
      type: 'short_answer',
      prompt: 'Where is the assembly point?',
      answer: { accepted: ['Car park North'] },
      points: 2,
    },
  ];
}

function rightAnswers(stored) {
  const given = [
    { choice: 'o2' },
    { choices: ['o1', 'o3'] },
    { value: false },
    { text: 'car park north' },
  ];
  return stored.map((question, index) => ({ questionId: question.id, answer: given[index] }));
}

function failedOf(result) {
  return result.errors + result.non2xx;
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      learners: { type: 'string' },
    },
  });
  return {
    duration: integer('duration', values.duration ?? process.env.BENCH_DURATION ?? '10', 1, 120),
    warmup: integer('warmup', values.warmup ?? process.env.BENCH_WARMUP ?? '2', 0, 30),
    learners: integer('learners', values.learners ?? process.env.BENCH_LEARNERS ?? '200', 1, 2000),
  };
}
