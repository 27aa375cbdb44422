// Builds and starts the Tianbao server on a free port with a fresh data
// directory and the demo data (or, with demo: false, none), for the browser
// tests; env adds to its environment.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

// binary is the server the tests run: TIANBAO_BIN when `npm test` built it
// once for every file, else built here.
function binary(dir) {
  if (process.env.TIANBAO_BIN) return resolve(import.meta.dirname, process.env.TIANBAO_BIN);
  const bin = join(dir, 'tianbao');
  execFileSync('go', ['build', '-o', bin, './app'], { cwd: root, stdio: 'inherit' });
  return bin;
}

export async function startServer({ demo = true, env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tianbao-e2e-'));
  const bin = binary(dir);
  const port = await freePort();
  const password = 'e2e-' + Math.random().toString(36).slice(2, 10);
  const proc = spawn(bin, [], {
    cwd: dir,
    env: { ...process.env, TIANBAO_ADDR: `127.0.0.1:${port}`, TIANBAO_DATA_DIR: join(dir, 'data'), TIANBAO_DEMO_PASSWORD: password,
      ...(demo ? {} : { TIANBAO_NO_DEMO: '1' }), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('the server did not start:\n' + log)), 120000);
    const read = (chunk) => {
      log += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(log);
      if (m) { clearTimeout(timer); ok(m[1]); }
    };
    proc.stdout.on('data', read);
    proc.stderr.on('data', read);
    proc.on('exit', (code) => { clearTimeout(timer); fail(new Error(`the server exited (${code}):\n${log}`)); });
  });
  return {
    url, password, dir,
    log: () => log,
    async stop() {
      proc.removeAllListeners('exit');
      const gone = new Promise((ok) => proc.once('exit', ok));
      proc.kill('SIGTERM');
      await Promise.race([gone, new Promise((ok) => setTimeout(ok, 10000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// api is a small client of the server's JSON API for checking its state.
export function api(base, token) {
  return async (method, path, body, headers = {}) => {
    const res = await fetch(base + '/api/v1' + path, {
      method,
      headers: { ...(token ? { Authorization: 'Bearer ' + token } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let data = null;
    try { data = JSON.parse(text); } catch { data = text; }
    return { status: res.status, data };
  };
}

export async function login(base, username, password) {
  const res = await api(base)('POST', '/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.data)}`);
  return api(base, res.data.token);
}

// receiver is a webhook endpoint on this machine that keeps the messages it
// is sent, as a WeCom group would show them.
export async function receiver() {
  const got = [];
  const srv = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      try { got.push(JSON.parse(body)); } catch { got.push(body); }
      res.setHeader('Content-Type', 'application/json');
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise((ok) => srv.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${srv.address().port}/cgi-bin/webhook/send?key=e2e-robot-key`, got, close: () => new Promise((ok) => srv.close(ok)) };
}
