// The moderator dashboard: sign-in for admins, KPIs, the live feed, actions, storage status and charts.
import { Actions } from './actions.js';
import { giftersChart, rateChart, toxicChart } from './charts.js';
import { api, el, formatDateTime, formatNumber, formatTime, giftText, heart, initTheme, login, Session } from './common.js';
import { MessageFeed } from './feed.js';
import { follow } from './sse.js';
import { renderStorage, renderStorageStats } from './storage.js';

const session = new Session('safestream_mod_token', 'safestream_mod_username');
const $ = (id) => document.getElementById(id);
const ACTIVITY = 50;
const VERBS = { kick: 'kicked', mute: 'muted', unmute: 'unmuted', reset_metrics: 'reset the metrics', threshold: 'changed the threshold', grant_admin: 'made an admin:', revoke_admin: 'removed admin from' };
const actions = new Actions({ session, onDone: () => refreshSummary(), onExpired: () => expired() });
const feed = new MessageFeed({ session, onPick: (user) => actions.pick(user), onAction: (kind, user) => actions.run(kind, user), onExpired: () => expired() });
let running = null;

initTheme($('theme'));
wireFilters();
$('signin').addEventListener('submit', signIn);
$('signout').addEventListener('click', () => signOut());
$('refused-switch').addEventListener('click', () => signOut());
start();

function show(view) {
  for (const id of ['signin-view', 'refused-view', 'dash-view']) $(id).hidden = id !== view;
  $('signout').hidden = view === 'signin-view';
  $('who').hidden = view === 'signin-view';
  $('live').hidden = view !== 'dash-view';
  if (view === 'signin-view') $('signin-username').focus();
}

async function signIn(event) {
  event.preventDefault();
  const username = $('signin-username').value.trim();
  const password = $('signin-password').value;
  if (!username || !password) {
    $('signin-error').textContent = 'Enter your username and password.';
    return;
  }
  $('signin-submit').disabled = true;
  try {
    session.save(await login(username, password));
    $('signin-password').value = '';
    $('signin-error').textContent = '';
    await start();
  } catch (failure) {
    $('signin-error').textContent = failure.message;
  } finally {
    $('signin-submit').disabled = false;
  }
}

async function start() {
  if (!session.token) {
    show('signin-view');
    return;
  }
  $('who').replaceChildren('Signed in as ', el('strong', { text: session.username }));
  let summary = null;
  try {
    summary = await api('/api/dashboard/summary', { token: session.token });
  } catch (failure) {
    if (failure.status === 401) return signOut('Your session has expired. Sign in again.');
    if (failure.status === 403) return refuse();
    // Any other failure (storage down, say) still opens the dashboard: the storage panel is what matters then.
  }
  show('dash-view');
  open(summary);
}

function refuse() {
  stop();
  $('refused-text').textContent = `You are signed in as ${session.username}, who is not a moderator. The dashboard is for moderators only.`;
  show('refused-view');
}

function open(summary) {
  stop();
  running = { token: session.token, timers: [] };
  if (summary) renderSummary(summary);
  running.stop = follow('/api/dashboard/feed', running.token, {
    onEvent: (type, data) => onEvent(type, data),
    onState: (state, delay) => setLive(state, delay),
    onRefused: (status) => (status === 401 ? expired() : refuse()),
  });
  running.timers.push(setInterval(refreshSummary, 5000), setInterval(refreshSeries, 15000), setInterval(refreshStorageStats, 60000));
  refreshSeries();
  refreshStorageStats();
}

function onEvent(type, data) {
  if (!running) return;
  if (type === 'ready') {
    feed.reload();
    loadActivity();
  } else if (type === 'chat') {
    feed.add(data);
  } else if (type === 'gift') {
    addActivity(giftItem(data), true);
  } else if (type === 'admin') {
    addActivity(actionItem(data), true);
  } else if (type === 'status') {
    renderStatus(data);
  }
}

function wireFilters() {
  let timer = 0;
  const reload = () => {
    clearTimeout(timer);
    timer = setTimeout(() => feed.reload(), 200);
  };
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  $('filter-user').addEventListener('input', reload);
  $('filter-toxic').addEventListener('change', reload);
  $('filter-from').addEventListener('change', reload);
  $('filter-to').addEventListener('change', reload);
  $('filter-range').addEventListener('change', () => {
    $('custom-range').hidden = $('filter-range').value !== 'custom';
    reload();
  });
}

async function refreshSummary() {
  if (!running) return;
  try {
    renderSummary(await api('/api/dashboard/summary', { token: running.token }));
  } catch (failure) {
    if (failure.status === 401) expired();
    $('kpi-since').textContent = `Not updated: ${failure.message}`;
  }
}

async function refreshStorageStats() {
  if (!running) return;
  try {
    renderStorageStats(await api('/api/dashboard/storage-stats', { token: running.token }));
  } catch (failure) {
    renderStorageStats({ stats: null, error: failure.message });
  }
}

async function refreshSeries() {
  if (!running) return;
  try {
    const series = await api('/api/dashboard/series', { token: running.token });
    rateChart($('chart-rate'), series);
    toxicChart($('chart-toxic'), series);
    const note = series.truncated ? `From the latest ${formatNumber(series.sampled)} messages.` : 'Last 30 minutes.';
    $('chart-rate-note').textContent = note;
    $('chart-toxic-note').textContent = `${note} Minutes without messages are gaps.`;
  } catch (failure) {
    $('chart-rate-note').textContent = `Not updated: ${failure.message}`;
  }
}

function renderSummary(s) {
  $('kpi-messages').textContent = formatNumber(s.messages);
  $('kpi-since').textContent = s.metrics_reset_at ? `since reset ${formatDateTime(s.metrics_reset_at)}` : 'all time';
  $('kpi-gifts').textContent = formatNumber(s.gifts);
  $('kpi-gift-sum').textContent = `${formatNumber(s.gift_amount)} in total`;
  $('kpi-toxic').textContent = `${s.toxic_pct.toFixed(1)}%`;
  $('kpi-toxic-count').textContent = `${formatNumber(s.toxic_messages)} of ${formatNumber(s.messages)} messages`;
  $('kpi-toxic-card').classList.toggle('alert', s.toxic_pct >= 20);
  giftersChart($('chart-gifters'), s.top_gifters);
  renderStatus(s.status);
}

function renderStatus(status) {
  $('kpi-viewers').textContent = formatNumber(status.viewers);
  $('kpi-connections').textContent = `${formatNumber(status.connections)} open connections`;
  actions.showThreshold(status.threshold);
  renderStorage(status.storage);
}

async function loadActivity() {
  try {
    const { gifts, actions } = await api('/api/dashboard/activity', { token: running.token });
    const items = [...gifts.map(giftItem), ...actions.map(actionItem)].sort((a, b) => b.key - a.key).slice(0, ACTIVITY);
    $('activity').replaceChildren(...items.map((i) => i.node));
  } catch (failure) {
    $('activity').replaceChildren(el('li', { text: `Activity cannot be loaded: ${failure.message}` }));
  }
  $('activity-empty').hidden = $('activity').children.length > 0;
}

function addActivity(item) {
  const list = $('activity');
  if (list.querySelector(`[data-id="${item.id}"]`)) return;
  list.prepend(item.node);
  while (list.children.length > ACTIVITY) list.lastElementChild.remove();
  $('activity-empty').hidden = true;
}

function activityNode(data, ...content) {
  return {
    id: data.id,
    key: Date.parse(data.ts),
    node: el('li', { attrs: { 'data-id': data.id } }, el('time', { class: 'time', text: formatTime(data.ts), attrs: { datetime: data.ts } }), ...content),
  };
}

function giftItem(g) {
  return activityNode(g, heart(g.gift_id), el('span', { text: giftText(g.from, g.gift_id, g.amount) }));
}

function actionItem(a) {
  const text = [a.admin, VERBS[a.action] ?? a.action, a.target].filter(Boolean).join(' ');
  return activityNode(a, el('span', { class: 'badge accent', text: a.action }), el('span', { text }), a.details ? el('span', { class: 'muted', text: a.details }) : null);
}

function setLive(state, delay) {
  const pill = $('live');
  pill.dataset.state = state;
  pill.textContent = state === 'live' ? 'Live' : state === 'down' ? `Reconnecting in ${Math.ceil(delay / 1000)} s` : 'Connecting…';
}

function stop() {
  if (!running) return;
  running.stop?.();
  running.timers.forEach(clearInterval);
  running = null;
}

function expired() {
  signOut('Your session has expired. Sign in again.');
}

function signOut(reason) {
  stop();
  session.clear();
  $('feed').replaceChildren();
  $('activity').replaceChildren();
  show('signin-view');
  $('signin-error').textContent = reason ?? '';
}
