// The baseline: express 5 with nothing but the JSON body parser and the same jwt.verify
// call Lectern makes on an embed token, with the same options.
import { createSecretKey } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';

process.once('message', ({ secret, audience }) => {
  const app = express();
  app.post('/api/v1/sessions', express.json(), (request, response) => {
    try {
      // A key object, as Lectern passes: jsonwebtoken is slow with string secrets.
      const claims = jwt.verify(request.body.token, createSecretKey(Buffer.from(secret, 'utf8')), {
        algorithms: ['HS256'],
        audience,
        clockTolerance: 30,
      });
      response.status(201).json({ sub: claims.sub, roles: claims.roles });
    } catch {
      response.status(401).json({ error: 'invalid token' });
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
