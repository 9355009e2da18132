// The launch baseline: express 5 with nothing but a form body parser and one jwt.verify of an
// RS256 id_token against the platform's public key, with the options Lectern uses for it.
import { createPublicKey } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';

process.once('message', ({ jwk, issuer, audience }) => {
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const app = express();
  app.post('/launch', express.urlencoded({ extended: false }), (request, response) => {
    try {
      const claims = jwt.verify(request.body.id_token, key, {
        algorithms: ['RS256'],
        issuer,
        audience,
        clockTolerance: 60,
      });
      response.type('text').send(claims.sub);
    } catch {
      response.status(400).type('text').send('invalid id_token');
    }
  });

  const server = app.listen(0, '127.0.0.1', () => {
    process.send({ type: 'ready', url: `http://127.0.0.1:${server.address().port}` });
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('message', (message) => {
    if (message.type === 'stop') stop();
  });
  process.once('disconnect', stop);
});
