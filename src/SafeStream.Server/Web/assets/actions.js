// Moderator actions: kick, mute, unmute, reset metrics, threshold. Each asks for confirmation first and shows its
// outcome (the server's own words) in the panel and as a toast.
import { api, toast } from './common.js';

const $ = (id) => document.getElementById(id);

/** Asks in a modal dialog; resolves true when confirmed. */
export function confirmAction(title, text, danger = false) {
  const dialog = $('confirm');
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-ok').className = danger ? 'primary danger' : 'primary';
  return new Promise((resolve) => {
    const done = (answer) => {
      $('confirm-ok').removeEventListener('click', ok);
      $('confirm-cancel').removeEventListener('click', cancel);
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const ok = () => done(true);
    const cancel = () => done(false);
    $('confirm-ok').addEventListener('click', ok);
    $('confirm-cancel').addEventListener('click', cancel);
    dialog.addEventListener('cancel', cancel);
    dialog.showModal();
    $('confirm-cancel').focus();
  });
}

export class Actions {
  constructor({ session, onDone, onExpired }) {
    Object.assign(this, { session, onDone, onExpired });
    this.threshold = null;
    $('do-mute').addEventListener('click', () => this.run('mute'));
    $('do-unmute').addEventListener('click', () => this.run('unmute'));
    $('do-kick').addEventListener('click', () => this.run('kick'));
    $('do-reset').addEventListener('click', () => this.reset());
    $('do-threshold').addEventListener('click', () => this.setThreshold());
    $('threshold').addEventListener('input', () => this.showSlider());
  }

  /** Puts a username in the form, e.g. from a click in the feed. */
  pick(user) {
    $('action-user').value = user;
    $('action-user').focus();
  }

  /** A user action (mute, unmute, kick) on the username in the form, or on <paramref>user</paramref>. */
  async run(kind, user) {
    if (user) $('action-user').value = user;
    const username = $('action-user').value.trim();
    if (!username) {
      this.outcome('Enter a username first.', 'error');
      $('action-user').focus();
      return;
    }
    const minutes = Number($('action-minutes').value);
    if (kind === 'mute' && !(minutes > 0 && minutes <= 525600)) {
      this.outcome('Minutes must be between 1 and 525600.', 'error');
      return;
    }
    const ask = {
      mute: [`Mute ${username}?`, `${username} will not be able to chat for ${minutes} minutes.`, false],
      unmute: [`Unmute ${username}?`, `${username} will be able to chat again at once.`, false],
      kick: [`Kick ${username}?`, `${username} is disconnected and signed out everywhere. Their messages stay.`, true],
    }[kind];
    if (!await confirmAction(...ask)) return;
    const body = kind === 'mute' ? { username, minutes } : { username };
    await this.call(() => api(`/api/admin/${kind}`, { method: 'POST', token: this.session.token, json: body }), (answer) => answer.message);
  }

  async reset() {
    if (!await confirmAction('Reset metrics?', 'Messages, gifts and the toxic share count from now on. Nothing is deleted.', true)) return;
    await this.call(() => api('/api/admin/reset_metrics', { method: 'POST', token: this.session.token }), () => 'Metrics reset: counting from now.');
  }

  async setThreshold() {
    const value = Number($('threshold').value);
    const ask = `Messages scoring ${value.toFixed(2)} or more will be blocked from now on (now ${this.threshold?.toFixed(2) ?? 'unknown'}).`;
    if (!await confirmAction(`Set the threshold to ${value.toFixed(2)}?`, ask)) return;
    await this.call(
      () => api('/api/mod/threshold', { method: 'PATCH', token: this.session.token, json: { threshold: value } }),
      (answer) => {
        this.showThreshold(answer.threshold, true);
        return `Threshold set to ${answer.threshold.toFixed(2)}.`;
      });
  }

  /** The threshold in force, from the server; the slider follows unless the moderator is moving it. */
  showThreshold(value, force = false) {
    const dirty = this.threshold !== null && Number($('threshold').value) !== this.threshold;
    this.threshold = value;
    $('threshold-current').textContent = value.toFixed(2);
    if (force || !dirty) $('threshold').value = String(value);
    this.showSlider();
  }

  showSlider() {
    const value = Number($('threshold').value);
    $('threshold-value').textContent = value.toFixed(2);
    $('do-threshold').disabled = this.threshold !== null && value === this.threshold;
  }

  async call(request, describe) {
    try {
      const answer = await request();
      this.outcome(describe(answer), 'ok');
      this.onDone();
    } catch (failure) {
      if (failure.status === 401) this.onExpired();
      this.outcome(failure.message, 'error');
    }
  }

  outcome(text, kind) {
    const line = $('outcome');
    line.textContent = text;
    line.className = `outcome ${kind}`;
    line.hidden = false;
    toast(text, kind);
  }
}
