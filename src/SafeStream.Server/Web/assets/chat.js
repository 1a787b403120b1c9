// The viewer chat page: sign in or register, chat over the legacy WebSocket, send hearts, see the viewer count.
import { ApiError, api, backoff, el, formatTime, giftText, heart, heartName, initTheme, login, register, Session, toast } from './common.js';

// The legacy web client's keys, so a viewer signed in there is signed in here.
const session = new Session('safestream_token', 'safestream_username');
const $ = (id) => document.getElementById(id);
const MAX_ITEMS = 300;
const HISTORY = 50;
const KICKED = 'Kicked by admin';
const state = { socket: null, attempt: 0, timer: 0, stopped: true, everOpened: false, registering: false, lastSent: '', mutedTimer: 0, pinned: true, lastChatId: 0 };
const seen = new Set();

initTheme($('theme'));
wireAuth();
wireRoom();
followBottom();
pollViewers();
setInterval(pollViewers, 5000);
if (session.token && session.username) enterRoom(); else show('auth-view');

function show(view) {
  for (const id of ['auth-view', 'room-view', 'kicked-view']) $(id).hidden = id !== view;
  const signedIn = view === 'room-view';
  $('signout').hidden = !signedIn;
  $('who').hidden = !signedIn;
  if (view === 'auth-view') $('auth-username').focus();
}

function wireAuth() {
  const setMode = (registering) => {
    state.registering = registering;
    $('tab-signin').setAttribute('aria-selected', String(!registering));
    $('tab-register').setAttribute('aria-selected', String(registering));
    $('email-field').hidden = !registering;
    $('auth-submit').textContent = registering ? 'Create account' : 'Sign in';
    $('auth-password').autocomplete = registering ? 'new-password' : 'current-password';
    $('auth-error').textContent = '';
  };
  $('tab-signin').addEventListener('click', () => setMode(false));
  $('tab-register').addEventListener('click', () => setMode(true));
  $('auth').addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = $('auth-username').value.trim();
    const password = $('auth-password').value;
    const error = !/^[a-zA-Z0-9._-]{1,50}$/.test(username) ? 'Usernames use letters, digits, dot, dash and underscore (up to 50).'
      : !password ? 'Enter a password.' : '';
    $('auth-error').textContent = error;
    if (error) return;
    $('auth-submit').disabled = true;
    try {
      const answer = state.registering ? await register(username, password, $('auth-email').value.trim()) : await login(username, password);
      session.save(answer);
      $('auth-password').value = '';
      enterRoom();
    } catch (failure) {
      $('auth-error').textContent = failure.message;
    } finally {
      $('auth-submit').disabled = false;
    }
  });
  $('kicked-signin').addEventListener('click', () => show('auth-view'));
}

function wireRoom() {
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('message').value;
    if (!text.trim() || state.socket?.readyState !== WebSocket.OPEN) return;
    state.socket.send(JSON.stringify({ type: 'chat', message: text }));
    state.lastSent = text;
    $('message').value = '';
  });
  for (const id of [1, 2, 3, 4, 5]) {
    const name = heartName(id);
    const button = el('button', { class: 'heart-button ghost', attrs: { type: 'button', title: `Send a ${name} heart`, 'aria-label': `Send a ${name} heart` } }, heart(Number(id)));
    button.addEventListener('click', () => sendHeart(Number(id)));
    $('heart-bar').append(button);
  }
  $('signout').addEventListener('click', () => signOut());
}

function enterRoom() {
  $('who').replaceChildren('Signed in as ', el('strong', { text: session.username }));
  $('messages').replaceChildren();
  seen.clear();
  state.lastChatId = 0;
  show('room-view');
  state.everOpened = false;
  loadHistory();
  connect();
  $('message').focus();
}

function connect() {
  clearTimeout(state.timer);
  state.stopped = false;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // A reconnect names the last chat message this socket saw: the server replays what came after it, then the live feed.
  const since = state.lastChatId ? `&since=${state.lastChatId}` : '';
  const url = `${scheme}://${location.host}/ws/${encodeURIComponent(session.username)}?token=${encodeURIComponent(session.token)}${since}`;
  const socket = new WebSocket(url);
  let opened = false;
  state.socket = socket;
  setConnection('wait', state.everOpened ? 'Reconnecting…' : 'Connecting…');
  socket.addEventListener('open', () => {
    opened = true;
    state.attempt = 0;
    setConnection('live', 'Connected');
    $('send').disabled = false;
    pollViewers();
    if (state.everOpened && !since) {
      // What was said while we were away. /api/recent is shared for a second, so ask again once that has passed.
      loadHistory();
      setTimeout(loadHistory, 1500);
    }
    state.everOpened = true;
  });
  socket.addEventListener('message', (event) => receive(event.data));
  socket.addEventListener('close', (event) => closed(socket, event, opened));
}

async function closed(socket, event, opened) {
  if (socket !== state.socket || state.stopped) return;
  $('send').disabled = true;
  if (event.code === 1000 && event.reason === KICKED) {
    kicked();
    return;
  }
  if (!opened) {
    // The handshake was refused: find out whether the token is still good before trying again.
    try {
      await api('/auth/me', { token: session.token });
    } catch (failure) {
      if (failure instanceof ApiError && (failure.status === 401 || failure.status === 400)) {
        signOut(failure.status === 401 ? 'Your session has expired. Sign in again.' : failure.message);
        return;
      }
    }
  }
  const delay = backoff(state.attempt++);
  setConnection('down', `Reconnecting in ${Math.ceil(delay / 1000)} s…`);
  state.timer = setTimeout(connect, delay);
}

function receive(data) {
  let frame;
  try {
    frame = JSON.parse(data);
  } catch {
    return;
  }
  if (frame.error) {
    system(`${frame.error}: ${frame.detail ?? ''}`, true);
  } else if (frame.type === 'gift') {
    addGift(frame, true);
  } else if (frame.type === 'muted') {
    showMuted(frame);
  } else if (frame.type === 'skipped') {
    system(frame.message);
  } else if (typeof frame.message === 'string') {
    if (frame.id > state.lastChatId) state.lastChatId = frame.id;
    addChat(frame);
  }
}

function addChat(message) {
  if (isSeen(message, message.user, message.message)) return;
  const mine = message.user === session.username;
  const item = el('li', { class: [mine ? 'mine' : '', message.blocked ? 'blocked' : ''].join(' ').trim(), attrs: { title: formatTime(message.ts), 'data-id': message.id } },
    el('span', { class: 'author', text: message.user }),
    el('span', { class: 'text', text: message.message }));
  if (message.blocked) item.append(el('span', { class: 'why', text: 'Blocked by moderation: only you can see this message.' }));
  append(item, mine);
}

function addGift(gift, live) {
  if (isSeen(gift, gift.from, `gift ${gift.gift_id}`)) return;
  const text = giftText(gift.from, gift.gift_id, gift.amount);
  append(el('li', { class: 'gift', attrs: { title: formatTime(gift.ts) } }, heart(gift.gift_id), el('span', { text })), false);
  if (!live) return;
  const ticker = $('gift-ticker');
  ticker.append(el('span', { class: 'gift' }, heart(gift.gift_id), el('span', { text })));
  while (ticker.children.length > 4) ticker.firstElementChild.remove();
  const float = el('span', { class: 'float-heart' }, heart(gift.gift_id));
  float.firstElementChild.setAttribute('width', '34');
  float.firstElementChild.setAttribute('height', '34');
  float.addEventListener('animationend', () => float.remove());
  $('hearts').append(float);
}

function isSeen(item, who, what) {
  const key = item.id ? `id:${item.id}` : `legacy:${item.ts}|${who}|${what}`;
  if (seen.has(key)) return true;
  seen.add(key);
  return false;
}

function system(text, error = false) {
  append(el('li', { class: `system${error ? ' error' : ''}`, text }), true);
}

function append(item, scroll) {
  const list = $('messages');
  list.append(item);
  while (list.children.length > MAX_ITEMS) list.firstElementChild.remove();
  if (state.pinned || scroll) list.scrollTop = list.scrollHeight;
}

// The chat follows new messages while the viewer is at the bottom, also when the window changes size; a viewer
// who scrolled up to read is left there.
function followBottom() {
  const list = $('messages');
  list.addEventListener('scroll', () => {
    state.pinned = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
  });
  new ResizeObserver(() => {
    if (state.pinned) list.scrollTop = list.scrollHeight;
  }).observe(list);
}

function showMuted(frame) {
  const banner = $('banner');
  banner.textContent = `You are muted until ${formatTime(frame.muted_until)}. Your message was not sent.`;
  banner.hidden = false;
  if (!$('message').value) $('message').value = state.lastSent;
  clearTimeout(state.mutedTimer);
  state.mutedTimer = setTimeout(() => { banner.hidden = true; }, Math.max(0, new Date(frame.muted_until) - Date.now()));
}

async function loadHistory() {
  try {
    const { recent_data: items } = await api('/api/recent');
    const mine = session.username;
    const shown = items.filter((i) => i.type === 'gift' || !i.blocked || i.user === mine).slice(0, HISTORY).reverse();
    for (const i of shown) {
      if (i.type === 'gift') addGift({ id: i.id, ts: i.ts, from: i.user, gift_id: i.gift, amount: i.amount }, false);
      else addChat({ id: i.id, ts: i.ts, user: i.user, message: i.msg, blocked: i.blocked });
    }
  } catch (failure) {
    system(`Earlier messages cannot be shown: ${failure.message}`, true);
  }
}

async function sendHeart(giftId) {
  try {
    await api('/api/gift', { method: 'POST', token: session.token, json: { from: session.username, gift_id: giftId, amount: 1 } });
  } catch (failure) {
    if (failure.status === 401) signOut('Your session has expired. Sign in again.');
    else toast(`The heart was not sent: ${failure.message}`, 'error');
  }
}

async function pollViewers() {
  let text = '– watching';
  try {
    const metrics = await api('/metrics');
    text = `${metrics.viewer_count} watching`;
  } catch {
    // the count comes back with the server
  }
  $('viewers').textContent = text;
  $('stage-viewers').textContent = text;
}

function setConnection(kind, text) {
  const pill = $('connection');
  pill.dataset.state = kind;
  pill.textContent = text;
}

function stop() {
  state.stopped = true;
  clearTimeout(state.timer);
  const socket = state.socket;
  state.socket = null;
  socket?.close(1000);
}

function kicked() {
  stop();
  session.clear();
  show('kicked-view');
}

function signOut(reason) {
  stop();
  session.clear();
  $('banner').hidden = true;
  show('auth-view');
  $('auth-error').textContent = reason ?? '';
}
