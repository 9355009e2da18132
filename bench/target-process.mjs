import { fork } from 'node:child_process';

/**
 * Forks a target server and waits for its `ready` message. `config`, when given, is the
 * first message the target receives (the baseline learns its secret that way, never by env).
 */
export function startTarget(file, { execArgv = [], config, timeoutMs = 180_000 } = {}) {
  const child = fork(new URL(file, import.meta.url), {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (config) child.send(config);

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} was not ready within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with code ${code} before it was ready`));
    });
    child.on('message', (message) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve({ child, ...message });
    });
  });
}

/** Sends `message` and resolves with the first answer of type `answerType`. */
export function ask(child, message, answerType) {
  return new Promise((resolve) => {
    const onMessage = (answer) => {
      if (answer.type !== answerType) return;
      child.off('message', onMessage);
      resolve(answer);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

/** Asks the target to stop cleanly (a CPU profile is written on exit); kills it if it hangs. */
export async function stopTarget(child, graceMs = 20_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  if (child.connected) child.send({ type: 'stop' });
  await exited;
  clearTimeout(timer);
}
