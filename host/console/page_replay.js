// page_replay.js — the exactly-once promise, shown live: one payload sent N
// times with the same provider message id, each answer listed, then the
// stored rows counted by /v1/internal/events/count until the worker has
// written it (one row expected: one 201, N-1 duplicates).
import { internal, sendingContext, ingest, encodeBody } from './api.js';
import { payloadForm, tenantPicker, messageIdField } from './forms.js';
import { h, card, empty, statusBadge } from './ui.js';

const POLL_MS = 300;
const WAIT_MS = 20000;

function verdict(kind, big, title, detail) {
  return h('div', { class: `verdict ${kind}`, dataset: { testid: 'verdict' } },
    h('div', { class: 'big', dataset: { testid: 'stored-count' } }, big),
    h('div', {}, h('strong', {}, title), h('div', {}, detail)));
}

async function countStored(id, tenant, channel) {
  const q = new URLSearchParams({ provider_message_id: id, tenant_id: tenant, channel });
  return (await internal(`events/count?${q}`)).count;
}

export default {
  title: 'Replay Verification',
  subtitle: 'Send one payload several times and see that exactly one row is stored.',
  async render(page) {
    const { plugins, tenants, gateway } = await sendingContext();
    const usable = plugins.filter((p) => messageIdField(p));
    if (usable.length === 0) {
      page.main.append(card('Nothing to replay', empty('No plugin takes a message id field', '')));
      return;
    }
    let plugin = usable[0];
    let form = null;
    const picker = tenantPicker(tenants, {
      authRequired: gateway.auth_required, onChange: () => form?.setTenant(picker.tenant()),
    });
    const channel = h('select', { id: 'replay-plugin', onchange: () => {
      plugin = usable.find((p) => p.name === channel.value);
      build();
    } }, usable.map((p) => h('option', { value: p.name }, `${p.name} (${p.channel})`)));
    const times = h('input', { id: 'replay-times', type: 'number', min: 2, max: 50, value: '5' });
    const formSlot = h('div');
    const sends = h('tbody');
    const outcome = h('div', {}, empty('Not run yet', 'Choose a tenant and press Run.'));
    const run = h('button', { type: 'submit', class: 'primary', id: 'replay-run' }, 'Run');
    const build = () => {
      form = payloadForm(plugin, { tenant: picker.tenant() });
      formSlot.replaceChildren(form.element);
    };

    const execute = async (event) => {
      event.preventDefault();
      run.disabled = true;
      try {
        const n = Math.min(50, Math.max(2, Number(times.value) || 5));
        const payload = form.payload();
        const id = form.messageId();
        const contentType = plugin.accepts[0];
        sends.replaceChildren();
        outcome.replaceChildren(verdict('wait', '…', `Sending ${n} times`, `provider_message_id ${id}`));
        const statuses = [];
        for (let i = 1; i <= n; i++) {
          const answer = await ingest(plugin.routes[0], {
            key: picker.key(), contentType, body: encodeBody(payload, contentType),
          });
          statuses.push(answer.status);
          sends.append(h('tr', { dataset: { send: String(i) } }, h('td', { class: 'num' }, `#${i}`),
            h('td', {}, statusBadge(answer.status)),
            h('td', {}, answer.json?.status || answer.json?.error || ''),
            h('td', { class: 'mono' }, answer.json?.event_id || answer.json?.message || '')));
        }
        const accepted = statuses.filter((s) => s === 201).length;
        const duplicates = statuses.filter((s) => s === 200).length;
        if (accepted === 0 && duplicates === 0) {
          outcome.replaceChildren(verdict('bad', '0', 'Nothing was accepted', 'See the answers: fix the payload, key or tenant.'));
          return;
        }
        const deadline = Date.now() + WAIT_MS;
        let count = await countStored(id, payload[plugin.mapping.tenant_field], plugin.channel);
        while (count === 0 && Date.now() < deadline && page.alive) {
          outcome.replaceChildren(verdict('wait', '0', 'Waiting for the worker to store it…',
            `${accepted} accepted, ${duplicates} duplicates`));
          await new Promise((r) => setTimeout(r, POLL_MS));
          count = await countStored(id, payload[plugin.mapping.tenant_field], plugin.channel);
        }
        const summary = `${n} sends: ${accepted} accepted (201), ${duplicates} duplicates (200). ` +
          `PostgreSQL holds ${count} row${count === 1 ? '' : 's'} for ${id}.`;
        outcome.replaceChildren(count === 1
          ? verdict('ok', '1', 'Exactly one row stored', summary)
          : verdict('bad', String(count), count === 0 ? 'Not stored yet: is a worker running?' : 'More than one row stored', summary));
        form.newMessageId();
      } finally {
        run.disabled = false;
      }
    };

    page.main.append(h('div', { class: 'grid split' },
      h('form', { class: 'card grid', onsubmit: (e) => page.guard(() => execute(e)) },
        h('div', { class: 'form-grid' },
          h('label', { for: 'replay-plugin' }, 'Plugin', channel),
          h('label', { for: 'replay-times' }, 'Sends', times)),
        picker.element, h('h3', {}, 'Payload'), formSlot,
        h('div', { class: 'actions' }, run)),
      h('div', { class: 'grid' },
        card('Stored rows', outcome),
        card('Answers', h('table', { dataset: { testid: 'replay-sends' } }, sends)))));
    build();
  },
};
