import autocannon from 'autocannon';

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
