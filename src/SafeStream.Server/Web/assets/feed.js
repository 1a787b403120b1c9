// The dashboard's message list: newest first, the last 200, filtered on the server when loaded and in the page as
// live messages arrive. Toxic and blocked messages are highlighted with their score.
import { api, el, formatTime } from './common.js';

const LIMIT = 200;
const $ = (id) => document.getElementById(id);

export class MessageFeed {
  constructor({ session, onPick, onAction, onExpired }) {
    Object.assign(this, { session, onPick, onAction, onExpired });
    this.list = $('feed');
    this.ids = new Set();
    this.pending = null;
    this.generation = 0;
    this.range = { since: null, until: null };
  }

  /** Reads the filters, loads the matching messages from storage, then applies what arrived meanwhile. */
  async reload() {
    const generation = ++this.generation;
    this.pending = [];
    const filters = this.readFilters();
    const query = new URLSearchParams({ limit: String(LIMIT) });
    if (filters.user) query.set('user', filters.user);
    if (filters.toxic) query.set('toxic', 'true');
    if (filters.since) query.set('since', filters.since.toISOString());
    if (filters.until) query.set('until', filters.until.toISOString());
    try {
      const { messages } = await api(`/api/dashboard/messages?${query}`, { token: this.session.token });
      if (generation !== this.generation) return;
      this.filters = filters;
      this.list.replaceChildren();
      this.ids.clear();
      for (const message of messages) this.insert(message, false);
    } catch (failure) {
      if (generation !== this.generation) return;
      if (failure.status === 401) this.onExpired();
      this.filters = filters;
      this.list.replaceChildren(el('li', { class: 'empty', text: `Messages cannot be loaded: ${failure.message}` }));
      this.ids.clear();
    }
    const pending = this.pending;
    this.pending = null;
    for (const message of pending) this.add(message);
    this.updateCount();
  }

  /** A live message: shown at once if it matches the filters. */
  add(message) {
    if (this.pending) {
      this.pending.push(message);
      return;
    }
    if (!this.matches(message)) return;
    this.insert(message, true);
    this.updateCount();
  }

  readFilters() {
    const range = $('filter-range').value;
    const minutes = Number(range);
    const local = (id) => ($(id).value ? new Date($(id).value) : null);
    return {
      user: $('filter-user').value.trim(),
      toxic: $('filter-toxic').checked,
      since: range === 'custom' ? local('filter-from') : Number.isFinite(minutes) ? new Date(Date.now() - minutes * 60000) : null,
      until: range === 'custom' ? local('filter-to') : null,
    };
  }

  matches(message) {
    const f = this.filters ?? this.readFilters();
    const ts = new Date(message.ts);
    return (!f.user || message.user.toLowerCase().includes(f.user.toLowerCase()))
      && (!f.toxic || message.toxic)
      && (!f.since || ts >= f.since)
      && (!f.until || ts < f.until);
  }

  insert(message, fresh) {
    if (message.id && this.ids.has(message.id)) return;
    if (message.id) this.ids.add(message.id);
    const row = this.row(message, fresh);
    const key = Date.parse(message.ts) * 1e3 + (message.id % 1e3);
    row.dataset.key = String(key);
    let before = null;
    for (const child of this.list.children) {
      if (Number(child.dataset.key) < key) {
        before = child;
        break;
      }
    }
    this.list.insertBefore(row, before);
    while (this.list.children.length > LIMIT) {
      const last = this.list.lastElementChild;
      this.ids.delete(Number(last.dataset.id));
      last.remove();
    }
  }

  row(m, fresh) {
    const flagged = m.toxic || m.blocked;
    const user = el('button', { class: 'user', text: m.user, attrs: { type: 'button', title: `Select ${m.user} for an action` } });
    user.addEventListener('click', () => this.onPick(m.user));
    const meta = el('span', { class: 'meta' });
    if (flagged) meta.append(el('span', { class: 'badge toxic', text: `toxic ${m.score.toFixed(2)}` }));
    if (m.blocked) meta.append(el('span', { class: 'badge blocked', text: 'blocked' }));
    const actions = el('span', { class: 'row-actions' });
    for (const [kind, label] of [['mute', 'Mute'], ['kick', 'Kick']]) {
      const button = el('button', { class: `small${kind === 'kick' ? ' danger' : ''}`, text: label, attrs: { type: 'button', 'aria-label': `${label} ${m.user}` } });
      button.addEventListener('click', () => this.onAction(kind, m.user));
      actions.append(button);
    }
    meta.append(actions);
    return el('li', { class: [flagged ? 'toxic' : '', fresh ? 'fresh' : ''].join(' ').trim(), attrs: { 'data-id': m.id, title: `score ${m.score.toFixed(3)}` } },
      el('time', { class: 'time', text: formatTime(m.ts), attrs: { datetime: m.ts } }),
      user,
      el('span', { class: 'text', text: m.message }),
      meta);
  }

  updateCount() {
    const n = this.list.querySelectorAll('li[data-id]').length;
    $('feed-count').textContent = n === LIMIT ? `Newest ${LIMIT} messages` : `${n} message${n === 1 ? '' : 's'}`;
    $('feed-empty').hidden = n > 0 || this.list.children.length > 0;
  }
}
