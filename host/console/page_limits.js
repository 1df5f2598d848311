// page_limits.js — every tenant's token bucket, read live (capacity, refill
// rate, the tokens it holds now) with the 429s it got recently. Reading a
// bucket spends nothing (/v1/internal/tenants).
import { internal } from './api.js';
import { h, card, empty, number, ago, channelBadge } from './ui.js';

function meter(tokens, capacity) {
  const fill = h('span');
  const ratio = capacity > 0 ? Math.max(0, Math.min(1, tokens / capacity)) : 0;
  fill.style.width = `${(ratio * 100).toFixed(1)}%`;  // CSSOM: allowed by the page's CSP
  return h('div', { class: `meter${ratio < 0.05 ? ' meter-out' : ratio < 0.3 ? ' meter-low' : ''}`,
    title: `${number(tokens)} of ${number(capacity)}` }, fill);
}

function tenantRow(t, now) {
  const r = t.rate_limited || { last_minutes: 0, recent: [] };
  const tokens = t.tokens;
  const refillTime = t.configured && tokens !== null && tokens < t.capacity
    ? `full in ${Math.ceil((t.capacity - tokens) / t.refill_per_second)} s` : 'full';
  return h('tr', { dataset: { tenant: t.id } },
    h('td', {}, h('strong', {}, t.id), t.configured ? null : h('div', { class: 'muted' }, 'not in the config')),
    h('td', { class: 'num' }, t.configured ? number(t.capacity) : '—'),
    h('td', { class: 'num' }, t.configured ? `${number(t.refill_per_second)}/s` : '—'),
    h('td', {}, t.configured && tokens !== null
      ? h('div', { class: 'grid' }, meter(tokens, t.capacity),
        h('span', { class: 'muted' }, `${number(Math.floor(tokens))} tokens · ${refillTime}`))
      : '—'),
    h('td', { class: 'num', dataset: { testid: 'recent-429' } }, number(r.last_minutes)),
    h('td', {}, r.recent.length ? `${ago(r.recent[0].at_ms, now)} on ${r.recent[0].channel}` : 'none'));
}

function refusalsTable(tenants, now) {
  const all = tenants.flatMap((t) => (t.rate_limited?.recent || []).map((r) => ({ ...r, tenant: t.id })))
    .sort((a, b) => b.at_ms - a.at_ms).slice(0, 30);
  if (all.length === 0) return empty('No 429s recently', 'Every request fitted its tenant\'s bucket.');
  return h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Tenant'), h('th', {}, 'Channel'),
      h('th', { class: 'num' }, 'Retry-After'))),
    h('tbody', {}, all.map((r) => h('tr', {}, h('td', {}, ago(r.at_ms, now)), h('td', {}, r.tenant),
      h('td', {}, channelBadge(r.channel)), h('td', { class: 'num' }, `${r.retry_after_seconds} s`)))));
}

export default {
  title: 'Rate Limit Monitor',
  subtitle: 'Each tenant\'s token bucket as it stands, and who was refused with 429.',
  async render(page) {
    const live = h('span', { class: 'live' }, 'live');
    page.actions.append(live);
    page.every(1000, async () => {
      const data = await internal('tenants?minutes=5');
      if (!page.alive) return;
      const now = Date.now();
      const limit = data.default_limit;
      const rows = data.tenants.map((t) => tenantRow(t, now));
      const table = rows.length
        ? h('table', { dataset: { testid: 'tenants' } },
          h('thead', {}, h('tr', {}, h('th', {}, 'Tenant'), h('th', { class: 'num' }, 'Capacity'),
            h('th', { class: 'num' }, 'Refill'), h('th', {}, 'Tokens now'),
            h('th', { class: 'num' }, `429s · ${data.minutes} min`), h('th', {}, 'Last 429'))),
          h('tbody', {}, rows))
        : empty('No tenants configured', 'Add tenants: to the config to give each its own limit.');
      page.main.replaceChildren(
        data.tokens_error ? h('div', { class: 'notice' }, `Buckets cannot be read: ${data.tokens_error}`) : '',
        card('Tenants', h('div', { class: 'table-wrap' }, table),
          limit ? h('span', { class: 'muted' },
            `default for others: ${number(limit.capacity)} burst, ${number(limit.refill_per_second)}/s`) : null),
        card('Recent 429s', refusalsTable(data.tenants, now)));
      live.textContent = `live · ${new Date(now).toLocaleTimeString('en-GB')}`;
    });
  },
};
