import autocannon from 'autocannon';
// autocannon's own queue of requests in flight; it has no "exports" map, so this is the very
// module (one CommonJS instance) that autocannon's clients use.
import PipelinedRequestsQueue from 'autocannon/lib/pipelinedRequestsQueue.js';

/**
 * Sends session exchanges to `url` over `connections` keep-alive connections, for `duration`
 * seconds or until `amount` requests. All connections draw from one rotation through
 * `bodies`, so that concurrent requests carry different tokens.
 */
export async function runLoad({ url, bodies, rotation, connections, duration, amount }) {
  const result = await autocannon({
    url,
    connections,
    ...(amount ? { amount } : { duration }),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/sessions',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          request.body = bodies[rotation.next++ % bodies.length];
          return request;
        },
      },
    ],
  });
  return summary(result);
}

/**
 * GETs of `paths` on `url` over `connections` keep-alive connections for `duration` seconds,
 * all connections drawing from one rotation through the paths. Also answers the bytes per
 * second received (bodies and headers).
 */
export async function runGets({ url, paths, rotation, connections, duration }) {
  const result = await withoutBodies(() =>
    autocannon({
      url,
      connections,
      duration,
      timeout: 10,
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => {
            request.path = paths[rotation.next++ % paths.length];
            return request;
          },
        },
      ],
    }),
  );
  return { ...summary(result), bytesPerSecond: result.throughput.average };
}

/**
 * autocannon 9 appends every body chunk to a string (`req.body += data`, for `expectBody` and
 * `verifyBody`): a utf-8 decode that costs about 18 ms per MB of binary on one core, so that
 * with video segments the load generator, not the server, sets the pace (about 40 req/s,
 * 50 MB/s against nginx where 700 and 1 GB/s are possible). Nothing here checks bodies:
 * while `work` runs, bodies are dropped; bytes are still counted (`addByteCount`).
 */
async function withoutBodies(work) {
  const { addBody } = PipelinedRequestsQueue.prototype;
  if (typeof addBody !== 'function') throw new Error('autocannon changed: no addBody to skip');
  PipelinedRequestsQueue.prototype.addBody = () => {};
  try {
    return await work();
  } finally {
    PipelinedRequestsQueue.prototype.addBody = addBody;
  }
}

function summary(result) {
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    seconds: result.duration,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}
