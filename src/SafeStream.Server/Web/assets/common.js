// Shared by the chat page and the dashboard. Everything from the server or a user is put in the page with
// textContent or as an attribute value: nothing is ever parsed as HTML.

/** An element with a class, text and children; attributes are set as values, never as markup. */
export function el(tag, options = {}, ...children) {
  const node = document.createElement(tag);
  if (options.class) node.className = options.class;
  if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes. */
export function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/** A small heart icon; gift ids pick its colour. */
export function heart(giftId, title) {
  const icon = svg('svg', { viewBox: '0 0 24 24', class: `heart heart-${Math.abs(giftId) % 6}`, 'aria-hidden': title ? 'false' : 'true' });
  if (title) icon.append(svg('title', {}, title));
  icon.append(svg('path', { d: 'M12 21s-7.5-4.6-9.6-9.3C.9 8.3 3 4.5 6.7 4.5c2.1 0 3.6 1.2 4.4 2.5h1.8c.8-1.3 2.3-2.5 4.4-2.5 3.7 0 5.8 3.8 4.3 7.2C19.5 16.4 12 21 12 21z' }));
  return icon;
}

const HEART_NAMES = { 1: 'red', 2: 'orange', 3: 'yellow', 4: 'green', 5: 'blue' };

/** The name of a gift id: the legacy client's hearts are 1 to 5. */
export const heartName = (giftId) => HEART_NAMES[giftId];

/** "alice sent a red heart", "bob sent 3 green hearts", "carol sent 2 × gift #9". */
export function giftText(from, giftId, amount) {
  const name = heartName(giftId);
  if (!name) return `${from} sent ${amount > 1 ? `${amount} × ` : ''}gift #${giftId}`;
  return amount > 1 ? `${from} sent ${amount} ${name} hearts` : `${from} sent a ${name} heart`;
}

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** Calls the API; answers the parsed body or throws an ApiError with the server's {"detail"}. */
export async function api(path, { method = 'GET', token, json, form, signal } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body, signal, cache: 'no-store' });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, 'The server cannot be reached');
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const detail = typeof data?.detail === 'string' ? data.detail : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, detail);
  }
  return data;
}

/** Signs in with the OAuth2 password form, as the legacy client did. */
export function login(username, password) {
  const form = new FormData();
  form.set('username', username);
  form.set('password', password);
  return api('/auth/login', { method: 'POST', form });
}

export function register(username, password, email) {
  return api('/auth/register', { method: 'POST', json: { username, password, email: email || null } });
}

/** A token and username kept in localStorage under the given keys. */
export class Session {
  constructor(tokenKey, userKey) {
    this.tokenKey = tokenKey;
    this.userKey = userKey;
  }

  get token() { return localStorage.getItem(this.tokenKey); }

  get username() { return localStorage.getItem(this.userKey); }

  save(answer) {
    localStorage.setItem(this.tokenKey, answer.access_token);
    localStorage.setItem(this.userKey, answer.username);
  }

  clear() {
    localStorage.removeItem(this.tokenKey);
    localStorage.removeItem(this.userKey);
  }
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const shortFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatTime = (ts) => timeFormat.format(new Date(ts));
export const formatShortTime = (ts) => shortFormat.format(new Date(ts));
export const formatDateTime = (ts) => dateTimeFormat.format(new Date(ts));
export const formatNumber = (n) => new Intl.NumberFormat().format(n);

/** Light or dark: the stored choice, else the system's; the button switches and remembers. */
export function initTheme(button) {
  const root = document.documentElement;
  const stored = localStorage.getItem('safestream_theme');
  const system = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  const apply = (theme) => {
    root.dataset.theme = theme;
    if (button) {
      button.textContent = theme === 'dark' ? 'Light mode' : 'Dark mode';
      button.setAttribute('aria-pressed', String(theme === 'dark'));
    }
  };
  apply(stored ?? system);
  button?.addEventListener('click', () => {
    const next = root.dataset.theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem('safestream_theme', next);
    apply(next);
  });
}

/** Shows a short message in the corner for a few seconds. */
export function toast(text, kind = 'ok') {
  const host = document.getElementById('toasts');
  if (!host) return;
  const item = el('div', { class: `toast ${kind}`, text, attrs: { role: kind === 'error' ? 'alert' : 'status' } });
  host.append(item);
  setTimeout(() => item.remove(), 5000);
}

/** Retry delays: 1 s, 2 s, 4 s … at most 15 s, with a little jitter so clients do not return in step. */
export const backoff = (attempt) => Math.min(15000, 1000 * 2 ** attempt) * (0.85 + Math.random() * 0.3);
