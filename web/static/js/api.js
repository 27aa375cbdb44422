// The API client: bearer token, language, problem+json errors.
import { session } from './session.js';
import { lang } from './i18n.js';

export class ApiError extends Error {
  constructor(status, problem, headers) {
    super((problem && problem.title) || 'HTTP ' + status);
    this.status = status;
    this.problem = problem || {};
    this.headers = headers;
  }
  get fieldErrors() {
    return this.problem.errors || [];
  }
}

// NetError means the request never got an answer: offline or the server is down.
export class NetError extends Error {}

// retryable tells errors worth trying again later from ones a person must fix.
export const retryable = e => e instanceof NetError || (e instanceof ApiError && (e.status >= 500 || e.status === 429 || e.status === 408));

const listeners = new Set();
export const onUnauthorized = fn => listeners.add(fn);
// onPasswordChange hears that the server wants the one-time password changed first.
const changeListeners = new Set();
export const onPasswordChange = fn => changeListeners.add(fn);

// request sends a JSON request and returns {status, data, headers, cached};
// it throws ApiError for 4xx/5xx answers and NetError when there is none.
export async function request(method, path, { body, headers = {}, raw = false, token } = {}) {
  const s = session();
  const h = { 'Accept-Language': lang() === 'en' ? 'en' : 'zh-CN', ...headers };
  const tok = token || (s && s.token);
  if (tok) h.Authorization = 'Bearer ' + tok;
  // A file goes as it is (a workbook to import), anything else as JSON.
  const file = typeof Blob !== 'undefined' && body instanceof Blob;
  if (body !== undefined) h['Content-Type'] = file ? body.type || 'application/octet-stream' : 'application/json';
  let res;
  try {
    res = await fetch('/api/v1' + path, { method, headers: h, body: body === undefined || file ? body : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    throw new NetError(e.message);
  }
  const cached = res.headers.get('X-Tianbao-Cache') === '1';
  if (res.status === 304) return { status: 304, data: null, headers: res.headers, cached };
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch { /* not JSON */ }
    const err = new ApiError(res.status, problem, res.headers);
    if (res.status === 401 && tok && path !== '/auth/login') listeners.forEach(fn => fn(err));
    if (res.status === 403 && err.problem.code === 'password_change_required') changeListeners.forEach(fn => fn(err));
    throw err;
  }
  if (raw) return { status: res.status, data: await res.blob(), headers: res.headers, cached };
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  return { status: res.status, data, headers: res.headers, cached };
}

export const get = (path, opts) => request('GET', path, opts);
export const post = (path, body, opts) => request('POST', path, { ...opts, body });
export const put = (path, body, opts) => request('PUT', path, { ...opts, body });

// errorText is the message to show for any failure.
export function errorText(e, t) {
  if (e instanceof NetError) return t('netError');
  if (e instanceof ApiError) return e.message;
  return t('error');
}
