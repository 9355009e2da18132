import { escapeHtml } from './launch-page.ts';

/**
 * LTI client-side postMessage storage, for platforms that send `lti_storage_target`: the
 * login keeps its state in the platform's own frame (first-party to the LMS, so no cookie of
 * Lectern's is needed), and the launch asks that frame for it before it goes on. The scripts
 * below are the whole client side; each page carries the answer's CSP nonce.
 */

interface StorageFrame {
  /** The frame name the platform gave (`_parent` for the parent window itself). */
  target: string;
  /** The platform's origin: messages go only there, and only its answers count. */
  origin: string;
}

// Sends one message to the platform's storage frame and waits (2 s at most) for its answer.
const askScript = `
function ask(frame, message) {
  const target = frame.target === '_parent' ? window.parent : window.parent.frames[frame.target];
  return new Promise((resolve) => {
    if (!target) return resolve(undefined);
    const id = crypto.randomUUID();
    const done = (value) => { clearTimeout(timer); removeEventListener('message', listen); resolve(value); };
    const timer = setTimeout(() => done(undefined), 2000);
    function listen(event) {
      if (event.origin === frame.origin && event.data && event.data.message_id === id) done(event.data);
    }
    addEventListener('message', listen);
    target.postMessage({ ...message, message_id: id }, frame.origin);
  });
}`;

const json = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

/** The login's answer: store the state with the platform, then go on to its sign-in. */
export function storeStatePage(input: {
  frame: StorageFrame;
  state: string;
  authorizationUrl: string;
}): (scriptNonce: string) => string {
  return (scriptNonce) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Lectern</title></head><body>
<script nonce="${scriptNonce}">${askScript}
(async () => {
  // If the platform does not answer, the state cookie may still carry the login.
  await ask(${json(input.frame)}, { subject: 'lti.put_data', key: ${json(stateKey(input.state))}, value: ${json(input.state)} });
  location.replace(${json(input.authorizationUrl)});
})();
</script>
<noscript><a href="${escapeHtml(input.authorizationUrl)}">Continue</a></noscript>
</body></html>`;
}

/**
 * The launch's answer when the cookie did not come back: asks the platform's frame for the
 * state. Only a browser that ran this login has it there; that browser then confirms the
 * launch by a same-origin request that no other site can send (a JSON body with Lectern's own
 * header, and no CORS on /lti), and the answer replaces this page.
 */
export function checkStatePage(input: {
  frame: StorageFrame;
  state: string;
  idToken: string;
  confirmUrl: string;
  fallbackHref: string;
}): (scriptNonce: string) => string {
  return (scriptNonce) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Lectern</title></head><body>
<p id="fallback" hidden>Your browser keeps Lectern from signing you in inside this frame.
<a href="${escapeHtml(input.fallbackHref)}" target="_blank" rel="noopener">Open Lectern</a></p>
<script nonce="${scriptNonce}">${askScript}
(async () => {
  const state = ${json(input.state)};
  const stored = await ask(${json(input.frame)}, { subject: 'lti.get_data', key: ${json(stateKey(input.state))} });
  if (stored && stored.value === state) {
    const answer = await fetch(${json(input.confirmUrl)}, {
      method: 'POST',
      credentials: 'omit',
      headers: { 'content-type': 'application/json', 'x-lectern-launch': 'storage' },
      body: JSON.stringify({ id_token: ${json(input.idToken)}, state, script_nonce: ${json(scriptNonce)} }),
    });
    if (answer.ok) {
      const page = await answer.text();
      document.open();
      document.write(page);
      document.close();
      return;
    }
  }
  document.getElementById('fallback').hidden = false;
})();
</script>
</body></html>`;
}

/** The key under which a login's state is kept in the platform's storage. */
export function stateKey(state: string): string {
  return `lectern_state_${state}`;
}
