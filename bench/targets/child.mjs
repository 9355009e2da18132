// The child's side of `target-process.mjs`: a target answers requests by message, stops
// once (on `stop`, when the bench goes away, or on a signal), and says when it is ready.

/**
 * Serves `answers` (message type → a function giving the reply) and `stop`, then sends
 * `ready`. `close` frees what the target holds; the process exits after it.
 */
export function runAsTarget({ ready, close, answers = {} }) {
  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      try {
        await close();
      } finally {
        process.exit(0);
      }
    })();
    return stopping;
  };

  process.on('message', async (message) => {
    if (message.type === 'stop') await stop();
    else if (answers[message.type]) process.send(await answers[message.type](message));
  });
  // An orphan or a Ctrl-C would otherwise leave a scratch database behind on PostgreSQL.
  process.once('disconnect', stop);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.send({ type: 'ready', ...ready });
}

/** CPU time tells work from waiting: on a shared machine it is steadier than wall time. */
export const cpuUsage = () => ({ type: 'cpu', usage: process.cpuUsage() });

/** How the first lines of a bench's output name the database. */
export function databaseLabel(scratch) {
  return scratch
    ? `PostgreSQL (scratch database ${scratch.name})`
    : 'PGlite (in memory, inside the Lectern process)';
}
