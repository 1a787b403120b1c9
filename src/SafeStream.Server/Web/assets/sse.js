// Follows the dashboard's live feed: server-sent events read with fetch, so the token travels in a header and
// never in a URL. Reconnects with backoff; "ready" means the feed has caught up and the page should reload its lists.
import { backoff } from './common.js';

/** Starts following; answers a function that stops. */
export function follow(url, token, { onEvent, onState, onRefused }) {
  const controller = new AbortController();
  const { signal } = controller;
  let attempt = 0;
  (async () => {
    while (!signal.aborted) {
      onState('wait');
      try {
        const response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, signal, cache: 'no-store' });
        if (response.status === 401 || response.status === 403) {
          onRefused(response.status);
          return;
        }
        if (response.ok) {
          await read(response.body, (type, data) => {
            if (type === 'ready') {
              attempt = 0;
              onState('live');
            }
            onEvent(type, data);
          });
        }
      } catch {
        // dropped: try again below
      }
      if (signal.aborted) return;
      const delay = backoff(attempt++);
      onState('down', delay);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, delay);
        signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
      });
    }
  })();
  return () => controller.abort();
}

async function read(stream, dispatch) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replaceAll('\r\n', '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      dispatchBlock(block, dispatch);
    }
  }
}

function dispatchBlock(block, dispatch) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return;
  let parsed;
  try {
    parsed = JSON.parse(data.join('\n'));
  } catch {
    return;
  }
  dispatch(type, parsed);
}
