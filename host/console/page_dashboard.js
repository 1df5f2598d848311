// page_dashboard.js — the gateway at a glance, refreshed every 2 s from
// /v1/internal/stats: outcome totals, the queue and the DLQ, the ingest
// rate over the last minutes, and the same outcomes by channel and tenant.
import { internal } from './api.js';
import { stackedBars } from './chart.js';
import { h, number, card, empty, clock } from './ui.js';

export const OUTCOMES = [
  { key: 'accepted', label: 'Accepted', color: '#16a34a' },
  { key: 'duplicate', label: 'Duplicate', color: '#64748b' },
  { key: 'rate_limited', label: 'Rate limited', color: '#d97706' },
  { key: 'rejected', label: 'Rejected', color: '#dc2626' },
  { key: 'unavailable', label: 'Unavailable', color: '#9333ea' },
];

const WINDOWS = [
  { label: '5 min', seconds: 300, step: 5 },
  { label: '15 min', seconds: 900, step: 15 },
  { label: '1 min', seconds: 60, step: 1 },
];

// Rows of {tenant, channel, counts…} summed by one of the two keys; failed
// = rejected + unavailable + dead letters of that tenant or channel.
function groupBy(rows, deadLetters, key) {
  const groups = new Map();
  const get = (name) => {
    if (!groups.has(name)) {
      groups.set(name, { name, accepted: 0, duplicate: 0, rate_limited: 0, failed: 0, dead_letters: 0 });
    }
    return groups.get(name);
  };
  for (const row of rows) {
    const g = get(row[key]);
    g.accepted += row.accepted;
    g.duplicate += row.duplicate;
    g.rate_limited += row.rate_limited;
    g.failed += row.rejected + row.unavailable;
  }
  for (const row of deadLetters) {
    const g = get(row[key]);
    g.failed += row.dead_letters;
    g.dead_letters += row.dead_letters;
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function breakdown(title, groups, testid) {
  if (groups.length === 0) return card(title, empty('No traffic yet', 'Send something from the Ingest Playground.'));
  const table = h('table', { dataset: { testid } },
    h('thead', {}, h('tr', {}, h('th', {}, title.split(' ').pop()), h('th', { class: 'num' }, 'Accepted'),
      h('th', { class: 'num' }, 'Duplicate'), h('th', { class: 'num' }, 'Rate limited'),
      h('th', { class: 'num', title: 'rejected (4xx) + unavailable (5xx) + dead-lettered' }, 'Failed'))),
    h('tbody', {}, groups.map((g) => h('tr', { dataset: { row: g.name } },
      h('td', {}, g.name),
      h('td', { class: 'num' }, number(g.accepted)),
      h('td', { class: 'num' }, number(g.duplicate)),
      h('td', { class: 'num' }, number(g.rate_limited)),
      h('td', { class: 'num', title: `${g.dead_letters} in the DLQ` }, number(g.failed))))));
  return card(title, h('div', { class: 'table-wrap' }, table));
}

function kpi(cls, label, value, sub, testid) {
  return h('div', { class: `card kpi ${cls}`, dataset: { testid } },
    h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), h('div', { class: 'sub' }, sub));
}

function render(page, stats, window) {
  const totals = Object.fromEntries(OUTCOMES.map((o) => [o.key, 0]));
  for (const row of stats.by_tenant_channel || []) {
    for (const o of OUTCOMES) totals[o.key] += row[o.key];
  }
  const q = stats.queue;
  const w = stats.worker;
  const deadLetters = stats.dead_letters_by_tenant_channel || [];
  const kpis = h('div', { class: 'kpis' },
    kpi('accepted', 'Accepted', number(totals.accepted), 'queued; each stored once', 'kpi-accepted'),
    kpi('duplicate', 'Duplicates', number(totals.duplicate), 'answered 200, nothing queued', 'kpi-duplicate'),
    kpi('rate_limited', 'Rate limited', number(totals.rate_limited), '429 with Retry-After', 'kpi-rate-limited'),
    kpi('rejected', 'Rejected', number(totals.rejected + totals.unavailable),
      `${number(totals.rejected)} invalid · ${number(totals.unavailable)} unavailable`, 'kpi-rejected'),
    kpi('queue', 'Queue', q ? number(q.length) : '—',
      q ? `${number(q.pending)} pending · oldest ${q.oldest_age_seconds.toFixed(1)} s` : stats.queue_error || 'unavailable', 'kpi-queue'),
    kpi('failed', 'Dead letters', q ? number(q.dead_letters) : '—',
      w ? `${number(w.stored)} stored · ${number(w.retries)} ${w.retries === 1 ? 'retry' : 'retries'}` : 'the worker runs elsewhere', 'kpi-dlq'));
  const series = stats.series;
  const chart = series
    ? stackedBars(series, OUTCOMES)
    : empty('No traffic recorder', 'This gateway does not record traffic.');
  const since = stats.started_at_ms ? `since ${new Date(stats.started_at_ms).toLocaleString('en-GB')}` : '';
  page.main.replaceChildren(
    kpis,
    card(`Ingest rate · last ${window.label}`, chart, h('span', { class: 'muted' }, since)),
    h('div', { class: 'grid two' },
      breakdown('By channel', groupBy(stats.by_tenant_channel || [], deadLetters, 'channel'), 'by-channel'),
      breakdown('By tenant', groupBy(stats.by_tenant_channel || [], deadLetters, 'tenant'), 'by-tenant')));
}

export default {
  title: 'Dashboard',
  subtitle: 'Traffic through this gateway, the queue and the dead letters, live.',
  async render(page) {
    let window = WINDOWS[0];
    let paused = false;
    const live = h('span', { class: 'live' }, 'live');
    const choose = h('div', { class: 'segmented' }, WINDOWS.map((w) => h('button', {
      type: 'button', class: w === window ? 'active' : '',
      onclick: (event) => {
        window = w;
        for (const b of choose.children) b.classList.toggle('active', b === event.currentTarget);
        refresh();
      },
    }, w.label)));
    const pause = h('button', { type: 'button', class: 'small', onclick: () => {
      paused = !paused;
      pause.textContent = paused ? 'Resume' : 'Pause';
      live.classList.toggle('paused', paused);
    } }, 'Pause');
    page.actions.append(live, choose, pause);
    const refresh = async () => {
      if (paused) return;
      const stats = await internal(`stats?window_seconds=${window.seconds}&step_seconds=${window.step}`);
      if (!page.alive) return;
      render(page, stats, window);
      live.textContent = `live · ${clock(stats.now_ms)}`;
    };
    page.every(2000, refresh);
  },
};
