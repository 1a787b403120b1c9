// Charts drawn as plain SVG with DOM calls: no library, no CDN, and labels set as text, never parsed.
import { formatNumber, formatShortTime, svg } from './common.js';

const W = 360;
const H = 170;
const PAD = { left: 42, right: 10, top: 10, bottom: 22 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

function frame(host, label) {
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': label });
  host.replaceChildren(chart);
  return chart;
}

function empty(chart, text) {
  chart.append(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, text));
}

/** 1, 2 or 5 times a power of ten, at least n. */
function niceMax(n) {
  const power = 10 ** Math.floor(Math.log10(Math.max(1, n)));
  return [1, 2, 5, 10].map((f) => f * power).find((v) => v >= n);
}

function yAxis(chart, max, format) {
  for (const f of [0, 0.5, 1]) {
    const y = PAD.top + PLOT_H * (1 - f);
    chart.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: 'grid' }));
    chart.append(svg('text', { x: PAD.left - 6, y: y + 4, 'text-anchor': 'end' }, format(max * f)));
  }
}

function xAxis(chart, series) {
  const span = Date.parse(series.to) - Date.parse(series.from);
  for (const [f, anchor] of [[0, 'start'], [0.5, 'middle'], [1, 'end']]) {
    const at = Date.parse(series.from) + span * f;
    chart.append(svg('text', { x: PAD.left + PLOT_W * f, y: H - 6, 'text-anchor': anchor }, formatShortTime(at)));
  }
}

function slot(series, point) {
  const buckets = (Date.parse(series.to) - Date.parse(series.from)) / (series.bucket_seconds * 1000);
  const index = (Date.parse(point.start) - Date.parse(series.from)) / (series.bucket_seconds * 1000);
  return { x: PAD.left + (PLOT_W * index) / buckets, width: PLOT_W / buckets };
}

/** Messages per minute, the toxic part of each bar in red. */
export function rateChart(host, series) {
  const chart = frame(host, 'Messages per minute');
  const busiest = Math.max(0, ...series.points.map((p) => p.messages));
  if (busiest === 0) {
    empty(chart, 'No messages in this window');
    return;
  }
  const max = niceMax(busiest);
  yAxis(chart, max, (v) => formatNumber(Math.round(v)));
  xAxis(chart, series);
  for (const p of series.points) {
    if (p.messages === 0) continue;
    const { x, width } = slot(series, p);
    const h = (PLOT_H * p.messages) / max;
    const t = (PLOT_H * p.toxic) / max;
    const bar = svg('rect', { x: x + 1, y: PAD.top + PLOT_H - h, width: Math.max(1, width - 2), height: h, class: 'bar', rx: 1.5 });
    bar.append(svg('title', {}, `${formatShortTime(p.start)}: ${p.messages} messages, ${p.toxic} toxic`));
    chart.append(bar);
    if (p.toxic > 0) chart.append(svg('rect', { x: x + 1, y: PAD.top + PLOT_H - t, width: Math.max(1, width - 2), height: t, class: 'bar toxic' }));
  }
}

/** The toxic share of each minute that had messages; quiet minutes break the line. */
export function toxicChart(host, series) {
  const chart = frame(host, 'Toxic share per minute');
  const points = series.points.filter((p) => p.messages > 0);
  if (points.length === 0) {
    empty(chart, 'No messages in this window');
    return;
  }
  yAxis(chart, 100, (v) => `${Math.round(v)}%`);
  xAxis(chart, series);
  const at = (p) => {
    const { x, width } = slot(series, p);
    return [x + width / 2, PAD.top + PLOT_H * (1 - p.toxic / p.messages)];
  };
  let path = '';
  let previous = null;
  for (const p of series.points) {
    if (p.messages === 0) {
      previous = null;
      continue;
    }
    const [x, y] = at(p);
    path += `${previous ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)} `;
    previous = p;
  }
  chart.append(svg('path', { d: path.trim(), class: 'line' }));
  for (const p of points) {
    const [x, y] = at(p);
    const dot = svg('circle', { cx: x, cy: y, r: 2.8, class: 'dot' });
    dot.append(svg('title', {}, `${formatShortTime(p.start)}: ${Math.round((100 * p.toxic) / p.messages)}% toxic (${p.toxic} of ${p.messages})`));
    chart.append(dot);
  }
}

/** Horizontal bars: who sent the most hearts. */
export function giftersChart(host, gifters) {
  const chart = frame(host, 'Top gifters');
  if (gifters.length === 0) {
    empty(chart, 'No gifts yet');
    return;
  }
  const row = Math.min(30, PLOT_H / gifters.length);
  const max = Math.max(...gifters.map((g) => g.amount));
  const left = 110;
  const right = W - 60;
  gifters.forEach((g, i) => {
    const y = PAD.top + i * row;
    const name = g.user.length > 16 ? `${g.user.slice(0, 15)}…` : g.user;
    chart.append(svg('text', { x: left - 8, y: y + row / 2 + 4, 'text-anchor': 'end', class: 'label' }, name));
    const bar = svg('rect', { x: left, y: y + 4, width: Math.max(2, ((right - left) * g.amount) / max), height: row - 8, class: 'bar', rx: 3 });
    bar.append(svg('title', {}, `${g.user}: ${g.amount} in ${g.count} gifts`));
    chart.append(bar);
    chart.append(svg('text', { x: left + ((right - left) * g.amount) / max + 6, y: y + row / 2 + 4 }, formatNumber(g.amount)));
  });
}
