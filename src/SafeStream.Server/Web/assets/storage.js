// The storage panel: what an operator watches while flipping modes.
import { formatDateTime, formatNumber } from './common.js';

const $ = (id) => document.getElementById(id);

const READS = {
  JsonlOnly: 'Files',
  DualWrite: 'Files (database in shadow)',
  DatabaseFirst: 'Database (files for legacy users)',
  DatabaseOnly: 'Database',
};

const BREAKER = { Closed: 'ok', HalfOpen: 'warn', Open: 'toxic', Isolated: 'toxic' };

export function renderStorage(s) {
  $('storage-active').textContent = s.active_mode;
  $('storage-requested').textContent = s.requested_mode;
  $('storage-requested').classList.toggle('badge', s.requested_mode !== s.active_mode);
  $('storage-requested').classList.toggle('warn', s.requested_mode !== s.active_mode);
  const breaker = $('storage-breaker');
  breaker.textContent = `Breaker ${s.breaker}`;
  breaker.className = `badge ${BREAKER[s.breaker] ?? ''}`;
  $('storage-reads').textContent = s.reading_from_files ? 'Files (database unavailable)' : READS[s.active_mode] ?? s.active_mode;
  $('storage-backlog').textContent = `${formatNumber(s.journal_backlog)} records`;
  $('storage-backlog').classList.toggle('badge', s.journal_backlog > 0);
  $('storage-backlog').classList.toggle('warn', s.journal_backlog > 0);
  $('storage-replay').textContent = s.last_replay_at
    ? `${formatDateTime(s.last_replay_at)} (${formatNumber(s.last_replay_count)} records)`
    : 'Never';
  $('storage-mismatches').textContent = `${formatNumber(s.shadow_mismatches)} of ${formatNumber(s.shadow_reads)} shadow reads`;
  $('storage-mismatches').classList.toggle('badge', s.shadow_mismatches > 0);
  $('storage-mismatches').classList.toggle('warn', s.shadow_mismatches > 0);
  $('storage-dual-errors').textContent = formatNumber(s.dual_write_errors);
  show($('storage-pending'), s.pending_reason ? `${s.requested_mode} is not in force yet: ${s.pending_reason}` : '');
  show($('storage-error'), s.last_error ? `Last error: ${s.last_error}` : '');
}

function show(node, text) {
  node.textContent = text;
  node.hidden = !text;
}
