/** The matrix's rows for LTI: the tool's own routes under /lti and its API. */
import { adminsOnly, open, type Row } from './matrix-shape.ts';

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
// An issuer no tenant registered: every caller is refused alike.
const ltiLogin = new URLSearchParams({
  iss: 'https://unregistered-lms.example',
  login_hint: '41',
  target_link_uri: 'https://lectern.example/lti/launch',
}).toString();

export const ltiRows: Row[] = [
  {
    route: 'POST /api/v1/lti/registrations',
    target: () => ({ path: '/api/v1/lti/registrations' }),
    own: adminsOnly(201),
    otherTenant: 'isolated',
  },
  {
    route: 'GET /api/v1/lti/platforms',
    target: () => ({ path: '/api/v1/lti/platforms' }),
    own: adminsOnly(200),
    otherTenant: 'isolated',
  },
  // The LTI routes answer the LMS's browser, never a Bearer token: the same for every caller.
  {
    route: 'GET /lti/login',
    target: () => ({ path: `/lti/login?${ltiLogin}` }),
    own: open(400),
    otherTenant: 'public',
  },
  {
    route: 'POST /lti/login',
    target: () => ({ path: '/lti/login', rawBody: ltiLogin, headers: formHeaders }),
    own: open(400),
    otherTenant: 'public',
  },
  {
    route: 'POST /lti/launch',
    target: () => ({
      path: '/lti/launch',
      rawBody: 'id_token=x.y.z&state=s',
      headers: formHeaders,
    }),
    own: open(400),
    otherTenant: 'public',
  },
  {
    route: 'POST /lti/launch/confirm',
    target: () => ({
      path: '/lti/launch/confirm',
      body: { id_token: 'x.y.z', state: 's', script_nonce: 'AAAAAAAAAAAAAAAAAAAAAA==' },
      headers: { 'x-lectern-launch': 'storage' },
    }),
    own: open(400),
    otherTenant: 'public',
  },
  {
    route: 'GET /lti/keys',
    target: () => ({ path: '/lti/keys' }),
    own: open(200),
    otherTenant: 'public',
  },
  {
    route: 'GET /lti/register',
    target: () => ({
      path: `/lti/register?token=${'a'.repeat(43)}&openid_configuration=https://lms.example/oidc`,
    }),
    own: open(400),
    otherTenant: 'public',
  },
  {
    route: 'POST /lti/deep-link',
    target: () => ({
      path: '/lti/deep-link',
      rawBody: `ticket=x.y.z&video=${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
      headers: formHeaders,
    }),
    own: open(400),
    otherTenant: 'public',
  },
];
