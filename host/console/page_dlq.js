// page_dlq.js — the dead-letter queue: events the worker could not store
// after its retries. List them, open one (error, stage, attempts, the event
// as queued), and put one or all back on the queue; a replayed event is
// stored at most once, so replaying twice is harmless.
import { internal } from './api.js';
import { h, card, empty, jsonBlock, channelBadge, ago, toast, number } from './ui.js';

function detail(entry, onReplay) {
  if (!entry) return empty('Select an entry', 'Its error, stage, attempts and payload show here.');
  return h('div', { class: 'grid', dataset: { testid: 'dlq-detail' } },
    h('dl', { class: 'kv' },
      h('dt', {}, 'DLQ id'), h('dd', { class: 'mono' }, entry.id),
      h('dt', {}, 'Error'), h('dd', { class: 'error' }, entry.error),
      h('dt', {}, 'Stage'), h('dd', {}, entry.stage),
      h('dt', {}, 'Attempts'), h('dd', {}, String(entry.attempts)),
      h('dt', {}, 'Failed'), h('dd', {}, new Date(entry.failed_at_ms).toLocaleString('en-GB')),
      h('dt', {}, 'Tenant'), h('dd', {}, entry.tenant_id || '—'),
      h('dt', {}, 'Provider id'), h('dd', { class: 'mono' }, entry.provider_message_id || '—'),
      h('dt', {}, 'Queue entry'), h('dd', { class: 'mono' }, entry.source_id || '—')),
    h('h3', {}, 'Payload as queued'),
    jsonBlock(entry.event),
    h('div', { class: 'actions' }, h('button', {
      type: 'button', class: 'primary', dataset: { testid: 'replay-one' }, onclick: () => onReplay([entry.id]),
    }, 'Replay this entry')));
}

export default {
  title: 'DLQ & Failures',
  subtitle: 'Events the worker gave up on, why, and a way to send them back.',
  async render(page) {
    let entries = [];
    let selected = null;
    const count = h('span', { class: 'muted' });
    const listSlot = h('div', { class: 'table-wrap' });
    const detailSlot = h('div');
    const replayAll = h('button', { type: 'button', class: 'danger', dataset: { testid: 'replay-all' } },
      'Replay all');

    const draw = () => {
      count.textContent = `${number(entries.total)} in the DLQ`;
      replayAll.disabled = entries.list.length === 0;
      if (entries.list.length === 0) {
        listSlot.replaceChildren(empty('The DLQ is empty',
          'Events land here when PostgreSQL rejects them after every retry.'));
      } else {
        listSlot.replaceChildren(h('table', { dataset: { testid: 'dlq-table' } },
          h('thead', {}, h('tr', {}, h('th', {}, 'Failed'), h('th', {}, 'Tenant'), h('th', {}, 'Channel'),
            h('th', {}, 'Provider id'), h('th', {}, 'Stage'), h('th', { class: 'num' }, 'Attempts'), h('th', {}, 'Error'))),
          h('tbody', {}, entries.list.map((e) => h('tr', {
            class: `clickable${selected?.id === e.id ? ' selected' : ''}`, dataset: { id: e.id },
            onclick: () => { selected = e; draw(); },
          }, h('td', {}, ago(e.failed_at_ms)), h('td', {}, e.tenant_id || '—'), h('td', {}, channelBadge(e.channel_type)),
          h('td', { class: 'mono clip', title: e.provider_message_id }, e.provider_message_id || '—'), h('td', {}, e.stage),
          h('td', { class: 'num' }, String(e.attempts)),
          h('td', { class: 'error clip', title: e.error }, e.error))))));
      }
      detailSlot.replaceChildren(detail(selected, replay));
    };
    const load = async () => {
      const data = await internal('dlq?limit=200');
      if (!page.alive) return;
      entries = { list: data.entries, total: data.total };
      selected = selected && data.entries.find((e) => e.id === selected.id);
      draw();
    };
    const replay = (ids) => page.guard(async () => {
      const body = ids ? { ids } : { all: true };
      const { replayed } = await internal('dlq/replay', { method: 'POST', body });
      toast(`Replayed ${replayed.length} ${replayed.length === 1 ? 'entry' : 'entries'}: back on the queue`);
      selected = null;
      await load();
    });
    replayAll.addEventListener('click', () => {
      if (window.confirm(`Put all ${entries.total} dead letters back on the queue?`)) replay(null);
    });
    page.actions.append(count, h('button', { type: 'button', onclick: () => page.guard(load) }, 'Refresh'), replayAll);
    page.main.append(h('div', { class: 'grid split wide-first' }, card('Dead letters', listSlot), card('Entry', detailSlot)));
    page.every(3000, load);
  },
};
