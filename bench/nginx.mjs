// nginx from Debian as a baseline: installed when missing (as root only), run in the
// foreground as a child of the bench with a config file of its own in a temp folder.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

export const nginxPath = '/usr/sbin/nginx';

/**
 * True when nginx is there or was just installed with apt-get (root only); false, after saying
 * what to install, when it is missing and this process may not install it.
 */
export async function ensureNginx(progress) {
  if (existsSync(nginxPath)) return true;
  if (process.getuid?.() !== 0) {
    console.error(
      `bench: ${nginxPath} is missing; install it (Debian: sudo apt-get install -y nginx)`,
    );
    return false;
  }
  const apt = (...args) =>
    promisify(execFile)('apt-get', args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 300_000,
    });
  progress('installing nginx with apt-get…');
  // Where the package lists are stale or absent, the first try fails: refresh them once.
  await apt('install', '-y', '--no-install-recommends', 'nginx').catch(async () => {
    await apt('update');
    await apt('install', '-y', '--no-install-recommends', 'nginx');
  });
  return existsSync(nginxPath);
}

/**
 * Serves `root` statically on a free loopback port: one worker (Lectern is one process too),
 * sendfile, no access log, keep-alive connections that last as long as node's. Its pid file,
 * error log and temp folders go to `workFolder`. Resolves once `probePath` answers 200.
 */
export async function startNginx({ root, workFolder, probePath }) {
  mkdirSync(workFolder, { recursive: true });
  const port = await freePort();
  const config = path.join(workFolder, 'nginx.conf');
  const errorLog = path.join(workFolder, 'error.log');
  const temp = (name) => `${name}_temp_path ${path.join(workFolder, name)};`;
  writeFileSync(
    config,
    `daemon off;
master_process on;
worker_processes 1;
pid ${path.join(workFolder, 'nginx.pid')};
error_log ${errorLog} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  types { video/mp2t ts; application/vnd.apple.mpegurl m3u8; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`,
  );
  // -e: the error log before the config is read (else /var/log/nginx, perhaps not writable).
  const child = spawn(nginxPath, ['-p', workFolder, '-c', config, '-e', errorLog], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    // SIGQUIT: the graceful stop; the worker finishes what it is sending.
    child.kill('SIGQUIT');
    await exited;
    clearTimeout(timer);
  };

  for (const started = Date.now(); ;) {
    if (child.exitCode !== null) {
      throw new Error(`nginx exited with ${child.exitCode}: ${tail(errorLog)}`);
    }
    const status = await fetch(`${url}${probePath}`).then(
      (response) => response.arrayBuffer().then(() => response.status),
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() - started > 10_000) {
      await stop();
      throw new Error(
        `nginx did not serve ${probePath} (last status ${status}): ${tail(errorLog)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    child,
    stop,
    version: await version(),
    /** CPU seconds of the master and its workers so far; undefined off Linux. */
    cpuSeconds: () => {
      try {
        const workers = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
          .trim()
          .split(/\s+/)
          .filter(Boolean);
        return [child.pid, ...workers].reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
      } catch {
        return undefined;
      }
    },
  };
}

/** utime + stime from /proc/<pid>/stat, in clock ticks of 1/100 s (Linux's USER_HZ). */
function processCpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function version() {
  // nginx prints its version on stderr.
  const { stderr } = await promisify(execFile)(nginxPath, ['-v']);
  return stderr.trim().replace(/^nginx version: /, '');
}

function tail(file) {
  return existsSync(file)
    ? readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ')
    : '';
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
