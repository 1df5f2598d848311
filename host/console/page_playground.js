// page_playground.js — send one payload to the live API as a tenant and see
// exactly what a provider would get back. The form comes from the chosen
// plugin's declared fields (forms.js), so every loaded plugin is here.
import { sendingContext, ingest, encodeBody } from './api.js';
import { payloadForm, tenantPicker } from './forms.js';
import { h, card, empty, jsonBlock, statusBadge, toast } from './ui.js';

function curlFor(route, contentType, body, hasKey, simulate) {
  const lines = [`curl -i -X POST '${location.origin}/v1/ingest/${route}'`,
    `  -H 'Content-Type: ${contentType}'`];
  if (hasKey) lines.push("  -H 'Authorization: Bearer $API_KEY'");
  if (simulate) lines.push("  -H 'X-Simulate-Failure: worker'");
  lines.push(`  --data '${body.replaceAll("'", "'\\''")}'`);
  return lines.join(' \\\n');
}

function responseView(answer) {
  const headers = Object.entries(answer.headers)
    .filter(([k]) => !['connection', 'date', 'server', 'transfer-encoding'].includes(k));
  return h('div', { class: 'grid', dataset: { testid: 'response' } },
    h('div', { class: 'actions' }, statusBadge(answer.status),
      h('span', { class: 'muted' }, `${answer.ms.toFixed(1)} ms`),
      answer.json?.event_id ? h('code', {}, answer.json.event_id) : null),
    h('dl', { class: 'kv' }, headers.map(([k, v]) => [h('dt', {}, k), h('dd', { class: 'mono' }, v)])),
    answer.json ? jsonBlock(answer.json, { dataset: { testid: 'response-body' } }) : h('pre', {}, answer.text));
}

export default {
  title: 'Ingest Playground',
  subtitle: 'Post a payload to the live API as a tenant; forms come from each plugin\'s declared schema.',
  async render(page) {
    const { plugins, tenants, gateway } = await sendingContext();
    if (plugins.length === 0) {
      page.main.append(card('No plugins', empty('No channel plugin is loaded', 'List one under plugins: in the config.')));
      return;
    }
    let plugin = plugins[0];
    let form = null;
    const history = [];
    const picker = tenantPicker(tenants, {
      authRequired: gateway.auth_required,
      onChange: () => { form?.setTenant(picker.tenant()); preview(); },
    });
    const format = h('select', { id: 'format', onchange: () => preview() });
    const simulate = h('input', { type: 'checkbox', id: 'simulate', onchange: () => preview() });
    const formSlot = h('div');
    const signedNotice = h('div', { class: 'notice', hidden: true });
    const curl = h('div');
    const result = h('div', {}, empty('Nothing sent yet', 'Fill in the form and press Send.'));
    const historyList = h('tbody');
    const send = h('button', { type: 'submit', class: 'primary', id: 'send' }, 'Send');

    const preview = () => {
      if (!form) return;
      const tenant = tenants.find((t) => t.id === picker.tenant());
      const signed = tenant?.signed_plugins?.includes(plugin.name);
      signedNotice.hidden = !signed;
      signedNotice.textContent = signed
        ? `${tenant.id} verifies ${plugin.name} requests with its provider's signature: ` +
          'a request from here carries none and will get 401. Try another plugin or tenant.'
        : '';
      const body = encodeBody(form.payload(), format.value);
      curl.replaceChildren(h('pre', {}, curlFor(plugin.routes[0], format.value, body, !!picker.key(), simulate.checked)));
    };
    const choosePlugin = (p) => {
      plugin = p;
      for (const b of tabs.children) b.classList.toggle('active', b.dataset.plugin === p.name);
      format.replaceChildren(...p.accepts.map((t) => h('option', { value: t }, t)));
      form = payloadForm(p, { tenant: picker.tenant(), onChange: preview });
      formSlot.replaceChildren(
        h('p', { class: 'muted' }, `${p.description} · v${p.version} · POST /v1/ingest/${p.routes[0]}`),
        form.element);
      preview();
    };
    const tabs = h('div', { class: 'segmented', role: 'tablist' }, plugins.map((p) => h('button', {
      type: 'button', dataset: { plugin: p.name }, onclick: () => choosePlugin(p),
    }, p.name)));

    const submit = async (event) => {
      event.preventDefault();
      send.disabled = true;
      try {
        const body = encodeBody(form.payload(), format.value);
        const answer = await ingest(plugin.routes[0], {
          key: picker.key(), contentType: format.value, body, simulateFailure: simulate.checked,
        });
        result.replaceChildren(responseView(answer));
        history.unshift({ at: new Date(), plugin: plugin.name, tenant: picker.tenant(), id: form.messageId(), answer });
        historyList.replaceChildren(...history.slice(0, 8).map((e) => h('tr', {},
          h('td', {}, e.at.toLocaleTimeString('en-GB')), h('td', {}, e.plugin), h('td', {}, e.tenant),
          h('td', { class: 'mono' }, e.id), h('td', {}, statusBadge(e.answer.status)))));
      } catch (e) {
        toast(`the request failed: ${e.message}`, { error: true });
      } finally {
        send.disabled = false;
      }
    };

    const options = h('div', { class: 'actions' },
      h('label', { for: 'format' }, 'Body format', format),
      gateway.simulation_mode
        ? h('label', { class: 'check', title: 'the worker fails this event until it is dead-lettered' },
          simulate, 'Simulate a worker failure (X-Simulate-Failure)')
        : null,
      h('button', { type: 'button', onclick: () => { form.newMessageId(); preview(); } }, 'New message id'),
      send);
    page.actions.append(tabs);
    page.main.append(h('div', { class: 'grid split' },
      h('form', { class: 'card grid', onsubmit: submit, dataset: { testid: 'playground-form' } },
        h('h3', {}, 'Tenant'), picker.element, signedNotice,
        h('h3', {}, 'Payload'), formSlot, options),
      h('div', { class: 'grid' },
        card('Response', result),
        card('Request', curl),
        card('Recent sends', h('table', {}, historyList)))));
    choosePlugin(plugin);
  },
};
