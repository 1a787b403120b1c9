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

// The data itself (GET /api/dashboard/storage-stats, read by the server at most a minute ago): what `stats` prints.
const DAY = 86400;

export function renderStorageStats({ stats, error }) {
  if (!stats) {
    $('storage-rows').textContent = error ? `Not available: ${error}` : '–';
    return;
  }
  const rows = stats.events.map((k) => `${k.table} ${formatNumber(k.rows)}`);
  $('storage-rows').textContent = [`users ${formatNumber(stats.users)}`, ...rows].join(', ');
  const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
  $('storage-size').textContent = `${mb(stats.database_bytes)} (${mb(stats.reclaimable_bytes)} reclaimable)`;
  const backup = $('storage-last-backup');
  const b = stats.last_backup;
  backup.textContent = b ? `${formatDateTime(b.finished_at)} (${(b.age_seconds / 3600).toFixed(1)} h ago, ${mb(b.bytes)})` : 'None';
  backup.classList.toggle('badge', !b || b.age_seconds > DAY + 3600);
  backup.classList.toggle('warn', !b || b.age_seconds > DAY + 3600);
  const r = stats.last_retention;
  $('storage-last-retention').textContent = r ? `${formatDateTime(r.at)}: ${r.details ?? ''}` : 'Never';
}
