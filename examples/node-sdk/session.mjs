// Signs an embed token as an intranet backend would, then exchanges it for a session.
import { LecternClient } from '@lectern/sdk';
import { createEmbedToken } from '@lectern/sdk/node';

const { LECTERN_URL, LECTERN_KEY_ID, LECTERN_KEY_SECRET } = process.env;
if (!LECTERN_URL || !LECTERN_KEY_ID || !LECTERN_KEY_SECRET) {
  console.error('Set LECTERN_URL, LECTERN_KEY_ID and LECTERN_KEY_SECRET (see README.md).');
  process.exit(2);
}

const embedToken = createEmbedToken({
  keyId: LECTERN_KEY_ID,
  algorithm: 'HS256',
  secret: LECTERN_KEY_SECRET,
  audience: LECTERN_URL,
  subject: 'intranet-user-42',
  roles: ['viewer'],
  ttlSeconds: 120,
});

const session = await new LecternClient({ baseUrl: LECTERN_URL }).createSession(embedToken);
const lectern = new LecternClient({ baseUrl: LECTERN_URL, token: session.token });
const { user, permissions } = await lectern.getSession();
console.log(`signed in as user ${user.id} with roles ${user.roles.join(', ')}`);
console.log(`may: ${permissions.join(', ')}`);
