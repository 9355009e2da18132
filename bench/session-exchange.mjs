// Session exchange (embed token → session token) under load, beside a bare express handler
// that only verifies the same JWT, measured the same way in the same run. It prints ratios,
// never a pass mark: the machine's speed cancels out of them. Exits non-zero only when
// requests failed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import jwt from 'jsonwebtoken';
import { runLoad } from './load.mjs';
import { failures, formatReport } from './report.mjs';
import { ask, startTarget, stopTarget } from './target-process.mjs';
import { integer, progress } from './cli.mjs';

const options = readOptions();
const targets = [];
// Bounded in time whatever happens: start-up, first passes (a few ms per token), two
// warm-ups, two runs, and slack.
const budgetMs = (300 + options.tokens / 20 + 2 * (options.warmup + options.duration)) * 1000;
const watchdog = setTimeout(() => {
  console.error(`bench: gave up after ${budgetMs / 1000} s`);
  for (const target of targets) target.child.kill('SIGKILL');
  process.exit(2);
}, budgetMs);

try {
  process.exitCode = await bench();
} finally {
  await Promise.all(targets.map((target) => stopTarget(target.child)));
  clearTimeout(watchdog);
}

async function bench() {
  const profileDir = options.cpuProf ? mkdtempSync(path.join(tmpdir(), 'lectern-bench-prof-')) : '';
  progress('starting Lectern and migrating a fresh database…');
  const lectern = await startTarget('./targets/lectern.mjs', {
    execArgv: options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  targets.push(lectern);

  const bodies = mintEmbedTokens(lectern).map((token) => JSON.stringify({ token }));
  const baseline = await startTarget('./targets/bare-verify.mjs', {
    config: { secret: lectern.embedKey.secret, audience: lectern.url },
  });
  targets.push(baseline);

  // The baseline first, while Lectern idles; then Lectern, while the baseline idles.
  const bare = await run('bare', baseline.url, bodies);
  const users = [];
  const exchange = await run('lectern', lectern.url, bodies, async () => {
    users.push(await countUsers(lectern));
  });
  users.push(await countUsers(lectern));

  console.log(
    [
      '',
      'Session exchange (embed token → session token) vs a bare express jwt.verify',
      `  load      ${options.duration} s at ${options.connections} connections after a ` +
        `${options.warmup} s warm-up; load generator and targets in separate processes`,
      `  database  ${lectern.database}`,
      `  tokens    ${options.tokens} distinct subs (role viewer), rotated across the connections`,
      `  users     ${users[1] - users[0]} created by a first pass that sends each token once ` +
        `(Lectern at ${rate(exchange.firstPass)}/s; not in the table)`,
      `            measured exchanges sign existing users in; users created since: ` +
        `${users[3] - users[1]}`,
      '',
    ].join('\n'),
  );
  console.log(formatReport({ baseline: bare.measured, lectern: exchange.measured }));
  if (options.cpuProf) console.log(`\nCPU profile of the Lectern process: ${profileDir}`);

  const unmeasured = [bare, exchange].reduce(
    (sum, phases) => sum + failures(phases.firstPass) + failures(phases.warmup),
    0,
  );
  if (unmeasured > 0) console.log(`\n${unmeasured} requests failed before the measured runs.`);
  return unmeasured + failures(bare.measured) + failures(exchange.measured) > 0 ? 1 : 0;
}

/**
 * The same phases for both targets: a first pass that sends every token once (on Lectern it
 * creates the users), a warm-up, then the measured run. `checkpoint` runs between phases.
 */
async function run(name, url, bodies, checkpoint = async () => {}) {
  const rotation = { next: 0 };
  const { connections } = options;

  await checkpoint();
  progress(`${name}: sending each of the ${bodies.length} tokens once…`);
  // autocannon wants at least one request per connection.
  const amount = Math.max(bodies.length, connections);
  const firstPass = await runLoad({ url, bodies, rotation, connections, amount });
  await checkpoint();
  let warmup = { errors: 0, non2xx: 0 };
  if (options.warmup > 0) {
    progress(`${name}: warming up for ${options.warmup} s…`);
    warmup = await runLoad({ url, bodies, rotation, connections, duration: options.warmup });
  }
  await checkpoint();
  progress(`${name}: measuring for ${options.duration} s…`);
  const measured = await runLoad({
    url,
    bodies,
    rotation,
    connections,
    duration: options.duration,
  });
  return { firstPass, warmup, measured };
}

function rate(result) {
  return Math.round(result.total / result.seconds).toLocaleString('en');
}

/** Embed tokens as an embedding site would mint them: HS256, the key's id, Lectern's URL. */
function mintEmbedTokens(lectern) {
  return Array.from({ length: options.tokens }, (_, index) =>
    jwt.sign({ sub: `bench-user-${index}`, roles: ['viewer'] }, lectern.embedKey.secret, {
      algorithm: 'HS256',
      keyid: lectern.embedKey.id,
      audience: lectern.url,
      expiresIn: 300,
    }),
  );
}

/** Waits out the exchanges still in flight when a phase ended, then counts the users. */
async function countUsers(lectern) {
  let count = -1;
  for (let attempt = 0; attempt < 20; attempt++) {
    const latest = (await ask(lectern.child, { type: 'count-users' }, 'users')).count;
    if (latest === count) break;
    count = latest;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return count;
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      tokens: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
    },
  });
  // Embed tokens live 300 s; the cap keeps every one of them valid until the end.
  return {
    duration: integer('duration', values.duration ?? process.env.BENCH_DURATION ?? '10', 1, 120),
    connections: integer(
      'connections',
      values.connections ?? process.env.BENCH_CONNECTIONS ?? '20',
      1,
      1000,
    ),
    warmup: integer('warmup', values.warmup ?? process.env.BENCH_WARMUP ?? '3', 0, 30),
    tokens: integer('tokens', values.tokens ?? process.env.BENCH_TOKENS ?? '1000', 1, 100_000),
    cpuProf: values['cpu-prof'],
  };
}
